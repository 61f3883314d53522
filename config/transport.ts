/**
 * The privacy policy's §8, "all data is transmitted over HTTPS", as configuration rules: production refuses a
 * provider base URL that is not https://, and warns once at start about a plain-text MongoDB or Temporal
 * connection that leaves the machine, unless the operator states the network is private.
 */
import type { Config } from './schema.js';

/** Every provider the service sends personal data to, by the config key of its base URL. */
export const PROVIDER_URL_KEYS = [
  { key: 'META_GRAPH_URL', provider: 'Meta Graph API (Messenger, Instagram and the WhatsApp Cloud API)' },
  { key: 'OPENAI_BASE_URL', provider: 'OpenAI' },
  { key: 'STRIPE_API_URL', provider: 'Stripe' },
  { key: 'RESEND_BASE_URL', provider: 'Resend' },
] as const satisfies readonly { key: keyof Config; provider: string }[];

export const PLAINTEXT_OPT_OUT_KEY = 'ALLOW_PLAINTEXT_PRIVATE_NETWORK';

export type ConfigProblem = { key: string; message: string };

/** In production, each provider base URL that is not https:// (only NODE_ENV=production is checked; local fakes speak http). */
export const insecureProviderUrlProblems = (c: Config): ConfigProblem[] =>
  c.NODE_ENV !== 'production'
    ? []
    : PROVIDER_URL_KEYS.filter(({ key }) => new URL(c[key]).protocol !== 'https:').map(({ key, provider }) => ({
        key,
        message: `must be an https:// URL in production (${provider} receives personal data; the privacy policy promises HTTPS): set ${key}=https://… or unset it for the provider's default`,
      }));

const isLoopback = (host: string) => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
};

const hostOf = (hostPort: string) => (hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0]!);

/** mongodb+srv:// turns TLS on unless the URI turns it off; mongodb:// needs tls=true (or ssl=true). */
export const isMongoEncrypted = (uri: string) => {
  const query = new URLSearchParams(uri.split('?')[1] ?? '');
  const flag = (query.get('tls') ?? query.get('ssl'))?.toLowerCase();
  return uri.startsWith('mongodb+srv://') ? flag !== 'false' : flag === 'true';
};

const mongoHosts = (uri: string) => {
  const authority = uri.replace(/^mongodb(\+srv)?:\/\//, '').split(/[/?]/)[0]!;
  return authority
    .slice(authority.lastIndexOf('@') + 1)
    .split(',')
    .map(hostOf);
};

export const isTemporalEncrypted = (c: Config) =>
  c.TEMPORAL_TLS || Boolean(c.TEMPORAL_API_KEY) || Boolean(c.TEMPORAL_TLS_CERT_PATH) || Boolean(c.TEMPORAL_TLS_CA_PATH);

/**
 * The warnings a production process logs once at start: each connection to MongoDB or Temporal that crosses a
 * network in plain text. Loopback needs no encryption; ALLOW_PLAINTEXT_PRIVATE_NETWORK=true silences the rest.
 */
export const plaintextConnectionWarnings = (c: Config): string[] => {
  if (c.NODE_ENV !== 'production' || c.ALLOW_PLAINTEXT_PRIVATE_NETWORK) return [];
  const warnings: string[] = [];
  const optOut = `or, if it is reachable only on a private network you control, set ${PLAINTEXT_OPT_OUT_KEY}=true`;
  if (!isMongoEncrypted(c.MONGODB_URI) && !mongoHosts(c.MONGODB_URI).every(isLoopback))
    warnings.push(
      `SECURITY: the MongoDB connection (MONGODB_URI) is not encrypted: personal data crosses the network in plain text, against the privacy policy's "all data is transmitted over HTTPS". Add tls=true to MONGODB_URI (or use mongodb+srv://), ${optOut}.`,
    );
  if (!isTemporalEncrypted(c) && !isLoopback(hostOf(c.TEMPORAL_ADDRESS)))
    warnings.push(
      `SECURITY: the Temporal connection (TEMPORAL_ADDRESS) is not encrypted: workflow payloads (encrypted, but with their metadata) cross the network in plain text. Set TEMPORAL_TLS=true, TEMPORAL_API_KEY or the TEMPORAL_TLS_* paths, ${optOut}.`,
    );
  return warnings;
};
