/**
 * Transactional email through Resend, built from config (base URL included). Every send carries an
 * idempotency key, so a retried activity never mails twice; failures are classified for the retry policy.
 */
import { Resend } from 'resend';

export type EmailMessage = {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Resend keeps the first answer for this key for 24 h: the same request is never sent twice. */
  idempotencyKey: string;
  tags?: { name: string; value: string }[];
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

export const createEmailSender = (opts: { apiKey: string; baseUrl: string; from: string }): EmailSender => {
  const resend = new Resend(opts.apiKey, { baseUrl: opts.baseUrl.replace(/\/+$/, '') });
  return {
    async send(m) {
      const { data, error } = await resend.emails.send(
        { from: opts.from, to: m.to, subject: m.subject, html: m.html, text: m.text, ...(m.tags ? { tags: m.tags } : {}) },
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
