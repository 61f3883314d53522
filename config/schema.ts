/** The one description of every environment variable LuxLeads reads; parsed once per process. */
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (fallback: string) => z.url({ message: 'must be an absolute URL such as http://127.0.0.1:3000' }).default(fallback);
const bool = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** `id:base64key` pairs, comma separated; the first one encrypts, all of them decrypt. */
const encryptionKeys = z
  .string({ message: 'is required: comma-separated id:base64 pairs of 32-byte keys, e.g. k1:$(openssl rand -base64 32)' })
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const part of raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const sep = part.indexOf(':');
      const id = sep > 0 ? part.slice(0, sep) : 'k1';
      const key = Buffer.from(sep > 0 ? part.slice(sep + 1) : part, 'base64');
      if (key.length !== 32 || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: 'each entry must be id:base64 of exactly 32 bytes (openssl rand -base64 32)' });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one id:base64 key' });
      return z.NEVER;
    }
    return keys;
  });

/** The dev default of PRIVACY_CONTACT_EMAIL; a published privacy policy must give a real address. */
export const PLACEHOLDER_PRIVACY_CONTACT_EMAIL = 'privacy@luxleads.local';
/** The dev default of COMPLIANCE_EMAIL; production must name a real inbox for the day-21 and day-30 escalations. */
export const PLACEHOLDER_COMPLIANCE_EMAIL = 'compliance@luxleads.local';

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Which proxies may set X-Forwarded-For (Express `trust proxy`): `loopback` (default), a hop count such as `1`
   * behind one load balancer, `false`, or a comma-separated list of addresses, CIDRs and the names loopback,
   * linklocal, uniquelocal. Per-IP limits use the client address it yields; `true` (trust anyone) is refused.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((raw, ctx): string | number | false => {
      const v = raw.trim();
      if (v === 'false') return false;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      const parts = v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const isProxy = (p: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p);
      if (parts.length === 0 || !parts.every(isProxy)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be loopback, a hop count like 1, false, or a comma-separated list of proxy addresses/CIDRs (never true)',
        });
        return z.NEVER;
      }
      return parts.join(',');
    }),
  PUBLIC_URL: url('http://127.0.0.1:3000'),
  DATA_DIR: z.string().default('.data'),

  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/luxleads'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('luxleads'),
  TEMPORAL_UI_URL: url('http://127.0.0.1:8233'),
  /** Temporal Cloud API key (or any frontend that takes one); implies TLS. */
  TEMPORAL_API_KEY: optionalString,
  /** mTLS (Temporal Cloud certificate auth, a self-hosted frontend with client certs): PEM files of the certificate and its key. */
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  /** PEM file of the CA that signed the server's certificate, when the system's CAs do not cover it. */
  TEMPORAL_TLS_CA_PATH: optionalString,
  /** TLS without any of the above (e.g. a frontend behind a TLS proxy); implied by each of them. */
  TEMPORAL_TLS: bool('false'),
  /**
   * MongoDB and Temporal are reached only on a private network (a VPC, a compose network): production then stops
   * warning that their connections are plain text (config/transport.ts). Provider URLs must be https regardless.
   */
  ALLOW_PLAINTEXT_PRIVATE_NETWORK: bool('false'),
  // ~0.3 MB per cached workflow: with the heap cap 150 measured 382–392 MB (406 peak), 200 measured 405–427 MB (docs/operations.md).
  WORKER_MAX_CACHED_WORKFLOWS: nonNegativeInt(150),
  /** Deadline for one call from the API to Temporal (an inbound event's signalWithStart, starting a workflow); past it the route answers 503. */
  TEMPORAL_DISPATCH_TIMEOUT_MS: positiveInt(5_000),
  /** host:port where the worker serves Prometheus metrics (Temporal SDK + LuxLeads activity counters); unset = off. */
  /** A workflow bundle built ahead of time (npm run build:workflows); unset = the worker bundles at start (slower, ~100 MB more RSS). */
  WORKER_WORKFLOW_BUNDLE: optionalString,
  /** On SIGTERM, running activities get this long to finish (keep it below the orchestrator's kill timeout, e.g. 30 s). */
  WORKER_SHUTDOWN_GRACE_MS: nonNegativeInt(20_000),
  WORKER_METRICS_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s:]+:\d+$/.test(v), 'must be host:port, e.g. 0.0.0.0:9464'),

  META_APP_ID: optionalString,
  META_APP_SECRET: optionalString,
  META_VERIFY_TOKEN: optionalString,
  META_GRAPH_URL: url('https://graph.facebook.com'),
  /** Where the browser is sent for Facebook Login (`{url}/{version}/dialog/oauth`); `npm start` points it at the Graph sandbox's dialog. */
  META_LOGIN_URL: url('https://www.facebook.com'),
  META_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: positiveInt(20_000),

  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_TEMPLATE_NAME: z.string().min(1).default('new_lead_alert'),
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().min(2).default('en_US'),

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_URL: url('https://api.stripe.com'),
  /** Stripe price ids of the paid plans (domain/plans.ts); a plan without one cannot be bought. */
  STRIPE_PRICE_STARTER: optionalString,
  STRIPE_PRICE_GROWTH: optionalString,
  STRIPE_PRICE_PRO: optionalString,

  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: url('https://api.resend.com'),
  /** Deadline for one Resend request; the SDK has none, and sign-up, invites and the public deletion form wait on it. */
  RESEND_TIMEOUT_MS: positiveInt(10_000),
  /** Lead webhooks (CRM): first retry delay, doubled per attempt up to 1 h; tests shorten it. */
  LEAD_WEBHOOK_INITIAL_RETRY_MS: positiveInt(30_000),
  /** A delivery is given up after this long; this many given-up deliveries in a row disable the endpoint. */
  LEAD_WEBHOOK_GIVE_UP_AFTER_MS: positiveInt(24 * 60 * 60 * 1000),
  LEAD_WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt(5),
  EMAIL_FROM: z.string().min(3).default('LuxLeads <notifications@luxleads.local>'),
  /** Where privacy requests escalate (day 21 reminder, day 30 overdue); production refuses the placeholder. */
  COMPLIANCE_EMAIL: z.email().default(PLACEHOLDER_COMPLIANCE_EMAIL),

  /** The company behind the service, as /privacy, /terms, the public pages' footer and every email name it. */
  COMPANY_NAME: z.string().trim().min(1).default('LuxLeads AI'),
  /** Postal address shown in the footer of the public pages and emails; unset = not shown. */
  COMPANY_ADDRESS: optionalString,
  /** The address the privacy policy gives for data enquiries and rights requests; production refuses the placeholder. */
  PRIVACY_CONTACT_EMAIL: z.email().default(PLACEHOLDER_PRIVACY_CONTACT_EMAIL),

  ENCRYPTION_KEY: encryptionKeys,
  /** Bearer token for ops-only endpoints (payload codec, metrics scraping when exposed publicly). */
  OPS_TOKEN: optionalString,

  /** A website chat session expires this long after it was issued; the visitor's next visit starts a new one (and a new conversation). */
  WIDGET_SESSION_MAX_AGE_DAYS: positiveInt(30),
  /** New website chat sessions one client address (IPv6: its /64) may start per hour, across all businesses; past it 429. */
  WIDGET_NEW_SESSIONS_PER_IP_PER_HOUR: positiveInt(30),
  /** New website chat sessions one business's widget may start per hour (every new visitor's page view starts one); past it 429. */
  WIDGET_NEW_SESSIONS_PER_BUSINESS_PER_HOUR: positiveInt(600),
  CONVERSATION_BURST_WINDOW_MS: nonNegativeInt(3_000),
  /** The privacy policy's promise: no copy of a conversation outlives this many days of inactivity. */
  CONVERSATION_RETENTION_DAYS: positiveInt(90),
  /**
   * How long the Temporal namespace keeps closed workflow histories. Threads are purged this much before
   * CONVERSATION_RETENTION_DAYS so their closed histories are gone by then too; the worker sets it on the embedded
   * dev server and refuses to start in production when the namespace keeps histories longer (docs/operations.md).
   */
  TEMPORAL_HISTORY_RETENTION_HOURS: positiveInt(24),
  /** Audit entries are deleted after this many days (kept for accountability; swept daily by the retention sweep). */
  AUDIT_RETENTION_DAYS: positiveInt(730),
  /** Login sessions are deleted this many days after they expired or were revoked. */
  SESSION_RETENTION_GRACE_DAYS: positiveInt(7),
  /** Rows of the notifications log (owner alerts sent or skipped) are deleted after this many days. */
  NOTIFICATION_RETENTION_DAYS: positiveInt(90),
  /** Rows of the CRM webhook delivery log are deleted after this many days. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: positiveInt(90),
  /** Rows of the email send log (email_sends) are deleted after this many days. */
  EMAIL_SEND_RETENTION_DAYS: positiveInt(90),
  /** Processed Stripe event ids (stripe_events) are deleted after this many days; Stripe redelivers for up to 3 days. */
  STRIPE_EVENT_RETENTION_DAYS: positiveInt(30),
  /**
   * Days a closed business's data is kept before it is erased (so the owner could still export). 0, the default,
   * keeps the policy's "lead records are retained for as long as the business account is active" to the letter:
   * closing erases at once. Any other value is stated on /privacy (api/pages/privacy-policy.ts) and in the app.
   */
  ACCOUNT_CLOSURE_GRACE_DAYS: nonNegativeInt(0),
  CONVERSATION_CONTINUE_AS_NEW_AFTER: positiveInt(150),
  /** Outreach prospects who never opened, clicked or replied are deleted this many days after they were added (suppressions stay). */
  OUTREACH_PROSPECT_RETENTION_DAYS: positiveInt(365),
  /** Signing secret (whsec_…) of the Resend webhook for bounces, complaints and inbound replies; unset = the webhook refuses every call. */
  RESEND_WEBHOOK_SECRET: optionalString,
  SEED_DEMO: bool('true'),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Keys whose values the logger must never print. */
export const SECRET_KEYS = [
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'OPENAI_API_KEY',
  'WHATSAPP_ACCESS_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'RESEND_API_KEY',
  'RESEND_WEBHOOK_SECRET',
  'ENCRYPTION_KEY',
  'OPS_TOKEN',
  'TEMPORAL_API_KEY',
] as const;
