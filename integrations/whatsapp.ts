/**
 * WhatsApp Cloud API sender for owner notifications (meta-platform.md §8): template and text messages to
 * `POST {base}/{version}/{phone-number-id}/messages`, failures classified by Meta's numeric code.
 */

export type WhatsAppOptions = { baseUrl: string; version: string; phoneNumberId: string; accessToken: string; timeoutMs?: number };

export type WhatsAppErrorKind =
  /** 131026, or 100 about the recipient: this number cannot receive messages; do not retry. */
  | 'invalid_number'
  /** 1320xx: the approved template and our call disagree (name, language, parameters); fix config or template. */
  | 'template_mismatch'
  /** 131047: free-form text outside the 24 h window; a template still works. */
  | 'window_closed'
  /** 190: the access token is expired or revoked; ops must set a new one. */
  | 'token_invalid'
  /** Throughput and pair rate limits, 5xx, or a connection that never reached Meta: safe to send again. */
  | 'retryable'
  /** The request may have reached Meta (timeout, reset); sending again could deliver twice. */
  | 'outcome_unknown'
  /** Anything else Meta refused (permissions, bad parameters): retrying will not help. */
  | 'rejected';

export class WhatsAppError extends Error {
  override name = 'WhatsAppError';
  constructor(
    readonly kind: WhatsAppErrorKind,
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
  get isRetryable() {
    return this.kind === 'retryable';
  }
}

const RATE_LIMITED = new Set([4, 80007, 130429, 131056, 131048]);
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
const TEMPLATE_PROBLEMS = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016]);
const ABOUT_RECIPIENT = /phone|recipient|wa_id|whatsapp id|parameter to\b|\bto\]|'to'|"to"/i;

/** Classifies on numeric codes; the details text is consulted only to tell a bad number from another bad parameter. */
export const classifyWhatsAppError = (status: number, code: number | undefined, details = ''): WhatsAppErrorKind => {
  if (code === 131026) return 'invalid_number';
  if ((code === 100 || code === 131009) && ABOUT_RECIPIENT.test(details)) return 'invalid_number';
  if (code !== undefined && TEMPLATE_PROBLEMS.has(code)) return 'template_mismatch';
  if (code === 131047) return 'window_closed';
  if (code === 190) return 'token_invalid';
  if (code !== undefined && (RATE_LIMITED.has(code) || TRANSIENT.has(code))) return 'retryable';
  if (status === 429 || status >= 500) return 'retryable';
  return 'rejected';
};

type ErrorBody = { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } };

const fromResponse = (status: number, body: unknown): WhatsAppError => {
  const err = (body as ErrorBody | null)?.error;
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const details = [err?.message, err?.error_data?.details].filter((s) => typeof s === 'string').join(' ');
  const kind = classifyWhatsAppError(status, code, details);
  // Meta's texts can echo what we sent (lead names): keep only status, code and kind.
  return new WhatsAppError(kind, status, code, `WhatsApp API ${status} (${kind}, code ${code ?? '-'})`);
};

/** Connection refused or no DNS answer: nothing reached Meta, so sending again cannot duplicate. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const fromNetworkError = (err: unknown): WhatsAppError => {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  const kind = typeof code === 'string' && NOT_SENT_CODES.has(code) ? 'retryable' : 'outcome_unknown';
  return new WhatsAppError(
    kind,
    0,
    undefined,
    `WhatsApp API unreachable (${typeof code === 'string' ? code : ((err as Error)?.name ?? 'error')})`,
  );
};

export type TemplateMessage = { name: string; language: string; bodyParams: string[] };
export type WhatsAppClient = ReturnType<typeof createWhatsAppClient>;

export const createWhatsAppClient = (opts: WhatsAppOptions) => {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/${opts.version}/${encodeURIComponent(opts.phoneNumberId)}/messages`;

  const post = async (payload: Record<string, unknown>): Promise<{ messageId: string }> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...payload }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw fromNetworkError(err);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // Proxy error pages are classified by status alone.
    }
    if (!res.ok) throw fromResponse(res.status, json);
    const id = (json as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    return { messageId: typeof id === 'string' ? id : '' };
  };

  return {
    sendTemplate: (to: string, t: TemplateMessage) =>
      post({
        to,
        type: 'template',
        template: {
          name: t.name,
          language: { code: t.language },
          components: [{ type: 'body', parameters: t.bodyParams.map((text) => ({ type: 'text', text })) }],
        },
      }),
    sendText: (to: string, body: string) => post({ to, type: 'text', text: { body, preview_url: false } }),
  };
};
