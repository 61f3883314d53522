/**
 * Every email LuxLeads sends goes through here: the only user of the Resend SDK, built from config (base URL
 * included). Every send carries an idempotency key, so a retried activity or request never mails twice;
 * failures are classified for the retry policy. Every Resend request has a deadline: the SDK has none, and
 * some sends sit on a public request path.
 */
import { Resend, type Response as ResendResponse } from 'resend';
import type { Config } from '../config/schema.js';
import { companyIdentityOf, withEmailFooter, type CompanyConfig, type CompanyIdentity } from '../config/company.js';

export const RESEND_TIMEOUT_MS = 10_000;

/** The real SDK with an AbortSignal deadline on every request; a timeout answers like a network failure (no status). */
class TimedResend extends Resend {
  constructor(
    apiKey: string,
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    super(apiKey, { baseUrl: baseUrl.replace(/\/+$/, '') });
  }

  override async fetchRequest<T>(path: string, options: { signal?: AbortSignal } = {}): Promise<ResendResponse<T>> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    try {
      return await super.fetchRequest<T>(path, { ...options, signal });
    } catch (err) {
      // The SDK rethrows an abort that lands while it reads an error body; report it as the timeout it is.
      if (!deadline.aborted) throw err;
      return {
        data: null,
        error: { name: 'application_error', statusCode: null, message: `Resend did not answer within ${this.timeoutMs} ms` },
        headers: null,
      };
    }
  }
}

export type ResendClientOptions = { apiKey: string; baseUrl: string; timeoutMs?: number };

export type EmailMessage = {
  to: string[];
  subject: string;
  /** Plain text always; html when the message has links or formatting worth it. */
  text: string;
  html?: string;
  /**
   * Resend keeps the first answer for this key for 24 h: the same request is never sent twice. Derive it from
   * what makes the email unique (workflow id, token id), never from the address alone.
   */
  idempotencyKey: string;
  tags?: { name: string; value: string }[];
  /** Raw headers, e.g. outreach's List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  /** For the send log (email_sends), never sent to Resend: which template (domain/emails) and which business. */
  template?: string;
  businessId?: string;
};

export type EmailErrorKind = 'retryable' | 'already_sent' | 'rejected';

export class EmailError extends Error {
  override name = 'EmailError';
  constructor(
    readonly kind: EmailErrorKind,
    readonly status: number | null,
    readonly providerName: string,
    message: string,
  ) {
    super(message);
  }
  get isRetryable() {
    return this.kind === 'retryable';
  }
}

/** No status: the request never got an answer (network); 429 and 5xx: Resend asks us to come back later. */
export const classifyEmailError = (status: number | null, name: string): EmailErrorKind => {
  // The key was used before with another payload (the lead changed between two attempts): the first one went out.
  if (status === 409 && name === 'invalid_idempotent_request') return 'already_sent';
  if (status === null || status === 429 || status >= 500 || name === 'concurrent_idempotent_requests') return 'retryable';
  return 'rejected';
};

export type EmailSender = { send(message: EmailMessage): Promise<{ id: string }> };

/**
 * `company`: every email then ends with who sent it and the link to /privacy (the policy promises identity and the
 * policy link in every email; adding it here, in the one place that sends, means no template can forget it).
 */
export const createEmailSender = (opts: ResendClientOptions & { from: string; company?: CompanyIdentity }): EmailSender => {
  const resend = new TimedResend(opts.apiKey, opts.baseUrl, opts.timeoutMs ?? RESEND_TIMEOUT_MS);
  return {
    async send(message) {
      const m = opts.company ? withEmailFooter(message, opts.company) : message;
      const { data, error } = await resend.emails.send(
        {
          from: opts.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          ...(m.html === undefined ? {} : { html: m.html }),
          ...(m.tags ? { tags: m.tags } : {}),
          ...(m.headers ? { headers: m.headers } : {}),
        },
        { idempotencyKey: m.idempotencyKey },
      );
      if (error) {
        const status = typeof error.statusCode === 'number' ? error.statusCode : null;
        const kind = classifyEmailError(status, error.name);
        throw new EmailError(kind, status, error.name, `Resend ${status ?? 'network'} (${error.name}, ${kind})`);
      }
      return { id: data?.id ?? '' };
    },
  };
};

export type EmailConfig = Pick<Config, 'RESEND_API_KEY' | 'RESEND_BASE_URL' | 'RESEND_TIMEOUT_MS' | 'EMAIL_FROM'> & CompanyConfig;

/** The sender for this config; undefined while RESEND_API_KEY is unset (callers then record and log instead of mailing). */
export const emailSenderFrom = (config: EmailConfig): EmailSender | undefined =>
  config.RESEND_API_KEY
    ? createEmailSender({
        apiKey: config.RESEND_API_KEY,
        baseUrl: config.RESEND_BASE_URL,
        timeoutMs: config.RESEND_TIMEOUT_MS,
        from: config.EMAIL_FROM,
        company: companyIdentityOf(config),
      })
    : undefined;
