/** Structured logs that never carry secrets, tokens or what customers wrote. */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Field names whose values are personal data or credentials wherever they appear. */
const SENSITIVE_FIELDS = [
  'text',
  'body',
  'message',
  'reply',
  'transcript',
  'prompt',
  'token',
  'accessToken',
  'access_token',
  'pageToken',
  'encryptedToken',
  'password',
  'passwordHash',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'email',
  'phone',
  'name',
];

const redactPaths = [
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((f) => `*.${f}`),
  ...SENSITIVE_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["stripe-signature"]',
];

export type { Logger };

export const createLogger = (opts: {
  level: string;
  name: string;
  secrets?: (string | undefined)[];
  destination?: DestinationStream;
}): Logger => {
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return pino(
    {
      level: opts.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Belt and braces: a configured secret that slips into a free-text field is still masked.
      ...(secrets.length
        ? { hooks: { streamWrite: (line: string) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), line) } }
        : {}),
      base: { svc: opts.name },
    },
    opts.destination ?? pino.destination(1),
  );
};
