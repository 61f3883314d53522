/**
 * Fake Resend REST API for the real `resend` v6 client.
 *
 * Point the client at it WITHOUT touching process.env: resend@6 takes a constructor option,
 *   `new Resend('re_test_key', { baseUrl: fake.url })`
 * (it builds every URL as `${baseUrl}${path}`, so no trailing slash and no `/v1`). Only when no option is
 * given does it fall back to `process.env.RESEND_BASE_URL`, read in the constructor (app config:
 * RESEND_BASE_URL=<fake.url>). The client never retries and returns errors as values:
 * `{ data: null, error: { statusCode, name, message } }` instead of throwing.
 */
import { randomUUID } from 'node:crypto';
import {
  bearerToken,
  dispatch,
  startRecordingServer,
  type FakeReply,
  type RecordedCall,
  type RecordingServer,
} from './recording-server.js';

export type DeliveredEmail = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
  idempotencyKey?: string;
  createdAt: string;
};

export type FakeResend = RecordingServer & {
  /** Emails Resend accepted, once each even if the client repeated an idempotent request. */
  deliveredEmails(): DeliveredEmail[];
  emailsTo(address: string): DeliveredEmail[];
};

export type FakeResendOptions = {
  port?: number;
  host?: string;
  /** Require exactly this key (default: any non-empty Bearer). */ apiKey?: string;
};

type StoredReply = { fingerprint: string; reply: FakeReply };

const resendError = (statusCode: number, name: string, message: string): FakeReply => ({
  status: statusCode,
  body: { statusCode, name, message },
});

const EMAIL = String.raw`[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+`;
const FROM_FORMAT = new RegExp(`^(?:${EMAIL}|[^<>]*<${EMAIL}>)$`);
const ADDRESS_FORMAT = new RegExp(`^${EMAIL}$`);

const list = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** The email as Resend would store it, or the 422 it would answer. */
const validateEmail = (input: unknown): { email: Omit<DeliveredEmail, 'id' | 'createdAt' | 'idempotencyKey'> } | { error: FakeReply } => {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  for (const field of ['from', 'to', 'subject']) {
    if (body[field] === undefined || body[field] === '')
      return { error: resendError(422, 'missing_required_field', `Missing \`${field}\` field.`) };
  }
  if (typeof body.from !== 'string' || !FROM_FORMAT.test(body.from.trim())) {
    return {
      error: resendError(
        422,
        'invalid_from_address',
        'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      ),
    };
  }
  const to = list(body.to);
  if (to.length > 50) return { error: resendError(422, 'validation_error', 'Too many recipients. `to` accepts at most 50 addresses.') };
  const badAddress = [...to, ...list(body.cc), ...list(body.bcc), ...list(body.reply_to)].find((a) => !ADDRESS_FORMAT.test(a.trim()));
  if (badAddress)
    return {
      error: resendError(
        422,
        'validation_error',
        `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format. Got: ${badAddress}`,
      ),
    };
  if (typeof body.html !== 'string' && typeof body.text !== 'string' && !body.template) {
    return { error: resendError(422, 'validation_error', 'Missing `html` or `text` field.') };
  }
  return {
    email: {
      from: body.from,
      to,
      cc: list(body.cc),
      bcc: list(body.bcc),
      replyTo: list(body.reply_to),
      subject: String(body.subject),
      html: typeof body.html === 'string' ? body.html : undefined,
      text: typeof body.text === 'string' ? body.text : undefined,
      headers: body.headers as Record<string, string> | undefined,
      tags: body.tags as { name: string; value: string }[] | undefined,
    },
  };
};

export const startFakeResend = async (options: FakeResendOptions = {}): Promise<FakeResend> => {
  const emails = new Map<string, DeliveredEmail>();
  const idempotent = new Map<string, StoredReply>();

  const checkAuth = (call: RecordedCall): FakeReply | undefined => {
    const key = bearerToken(call);
    if (!key)
      return resendError(
        401,
        'missing_api_key',
        'Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY',
      );
    if (options.apiKey !== undefined && key !== options.apiKey) return resendError(403, 'invalid_api_key', 'API key is invalid');
    return undefined;
  };

  const store = (email: Omit<DeliveredEmail, 'id' | 'createdAt' | 'idempotencyKey'>, idempotencyKey: string | undefined) => {
    const stored: DeliveredEmail = { ...email, id: randomUUID(), createdAt: new Date().toISOString(), idempotencyKey };
    emails.set(stored.id, stored);
    return stored.id;
  };

  /**
   * Resend keeps an Idempotency-Key's answer for 24h: the same key with the same payload gets the
   * same response (nothing sent twice); the same key with another payload is a 409.
   */
  const withIdempotency = (call: RecordedCall, produce: (key: string | undefined) => FakeReply): FakeReply => {
    const key = call.headers['idempotency-key'];
    if (key === undefined) return produce(undefined);
    if (key.length === 0 || key.length > 256) return resendError(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    const scopedKey = `${call.path} ${key}`;
    const fingerprint = JSON.stringify(call.body);
    const previous = idempotent.get(scopedKey);
    if (previous) {
      return previous.fingerprint === fingerprint
        ? previous.reply
        : resendError(
            409,
            'invalid_idempotent_request',
            'Same idempotency key used with a different request payload. Change your idempotency key or payload.',
          );
    }
    const reply = produce(key);
    // Only successful answers are replayed; a rejected payload may be fixed and retried with the same key.
    if ((reply.status ?? 200) < 400) idempotent.set(scopedKey, { fingerprint, reply });
    return reply;
  };

  const sendEmail = (call: RecordedCall): FakeReply =>
    checkAuth(call) ??
    withIdempotency(call, (key) => {
      const checked = validateEmail(call.body);
      if ('error' in checked) return checked.error;
      return { body: { id: store(checked.email, key) } };
    });

  const server = await startRecordingServer({
    name: 'fake Resend',
    port: options.port,
    host: options.host,
    handle: (call) =>
      dispatch([['POST', /^\/emails$/, (c) => sendEmail(c)]], call, (c) =>
        resendError(404, 'not_found', `The requested endpoint does not exist: ${c.method} ${c.path}`),
      ),
    faultBody: (status) =>
      status === 429
        ? { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests. You can only make 2 requests per second.' }
        : {
            statusCode: status,
            name: status >= 500 ? 'internal_server_error' : 'application_error',
            message: `Injected failure (${status}).`,
          },
    debugState: () => ({ emails: [...emails.values()] }),
    onReset: () => {
      emails.clear();
      idempotent.clear();
    },
  });

  return Object.assign(server, {
    deliveredEmails: () => [...emails.values()],
    emailsTo: (address: string) => [...emails.values()].filter((e) => [...e.to, ...e.cc, ...e.bcc].includes(address)),
  });
};
