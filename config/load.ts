/** Parses the environment once at start-up; on failure names every bad variable and what to set. */
import type { z } from 'zod';
import { ConfigSchema, PLACEHOLDER_COMPLIANCE_EMAIL, PLACEHOLDER_PRIVACY_CONTACT_EMAIL, type Config } from './schema.js';
import { insecureProviderUrlProblems } from './transport.js';

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n') +
        '\nSet these variables (see .env.example) and start again.',
    );
    this.name = 'ConfigError';
  }
}

const toProblems = (issues: z.core.$ZodIssue[]) => issues.map((i) => ({ key: String(i.path[0] ?? '(root)'), message: i.message }));

/** Settings that only make sense together. */
const pairingProblems = (c: Config) => {
  const problems: { key: string; message: string }[] = [];
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    const missing = c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
    problems.push({ key: missing, message: 'is required with the other one: mTLS needs both the client certificate and its key' });
  }
  // Threads are purged the history retention before the promise (domain/conversation.ts): that must leave time to talk.
  if (c.TEMPORAL_HISTORY_RETENTION_HOURS >= c.CONVERSATION_RETENTION_DAYS * 24) {
    problems.push({
      key: 'TEMPORAL_HISTORY_RETENTION_HOURS',
      message: `must be shorter than CONVERSATION_RETENTION_DAYS (${c.CONVERSATION_RETENTION_DAYS} days): conversations are purged this much before it`,
    });
  }
  return problems;
};

/** Production refuses the demo conveniences: every secret has to be given explicitly. */
const productionProblems = (c: Config) => {
  const problems: { key: string; message: string }[] = [];
  if (c.NODE_ENV !== 'production') return problems;
  if (!c.PUBLIC_URL.startsWith('https://')) problems.push({ key: 'PUBLIC_URL', message: 'must be https:// in production' });
  if (!c.OPS_TOKEN || c.OPS_TOKEN.length < 24)
    problems.push({ key: 'OPS_TOKEN', message: 'is required in production (at least 24 characters)' });
  if (c.PRIVACY_CONTACT_EMAIL === PLACEHOLDER_PRIVACY_CONTACT_EMAIL)
    problems.push({ key: 'PRIVACY_CONTACT_EMAIL', message: 'is required in production: the address /privacy gives for data enquiries' });
  if (c.COMPLIANCE_EMAIL === PLACEHOLDER_COMPLIANCE_EMAIL)
    problems.push({
      key: 'COMPLIANCE_EMAIL',
      message: 'is required in production: the inbox privacy requests escalate to at day 21 and day 30',
    });
  problems.push(...insecureProviderUrlProblems(c));
  return problems;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  // An empty value (KEY= in a .env file) means "not set", so defaults apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(toProblems(parsed.error.issues));
  const extra = [...pairingProblems(parsed.data), ...productionProblems(parsed.data)];
  if (extra.length > 0) throw new ConfigError(extra);
  return parsed.data;
};

/** Which optional integrations are switched on, so each process can log it once. */
export const integrationStatus = (c: Config) => ({
  meta: Boolean(c.META_APP_SECRET && c.META_VERIFY_TOKEN),
  openai: Boolean(c.OPENAI_API_KEY),
  whatsapp: Boolean(c.WHATSAPP_PHONE_NUMBER_ID && c.WHATSAPP_ACCESS_TOKEN),
  stripe: Boolean(c.STRIPE_SECRET_KEY),
  resend: Boolean(c.RESEND_API_KEY),
});

export const describeDisabledIntegrations = (c: Config): string[] => {
  const s = integrationStatus(c);
  const lines: string[] = [];
  if (!s.meta) lines.push('Meta webhooks disabled: set META_APP_SECRET and META_VERIFY_TOKEN to receive Messenger/Instagram events.');
  if (!s.openai) lines.push('OpenAI disabled: replies come from the offline responder; set OPENAI_API_KEY for AI replies.');
  if (!s.whatsapp) lines.push('WhatsApp notifications disabled: set WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN.');
  if (!s.stripe)
    lines.push(
      'Stripe billing disabled: every business is on the unlimited local plan; set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_STARTER/GROWTH/PRO to charge.',
    );
  if (!s.resend) lines.push('Email disabled (Resend): set RESEND_API_KEY; notifications are recorded but not mailed.');
  return lines;
};

export const exitOnConfigError = (err: unknown): never => {
  if (err instanceof ConfigError) {
    process.stderr.write(err.message + '\n');
    process.exit(78);
  }
  throw err;
};
