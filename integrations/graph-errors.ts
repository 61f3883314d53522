/** Turns Graph API error bodies into the few decisions our code makes: retry, stop, or reconnect. */

export type GraphErrorKind =
  'window_closed' | 'thread_owned' | 'user_unavailable' | 'token_invalid' | 'permission' | 'bad_request' | 'rate_limited' | 'transient';

export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    readonly kind: GraphErrorKind,
    readonly status: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    message: string,
    /**
     * The request may have reached Meta and been acted on (timeout, reset or hang-up after it was written; a
     * gateway timing out on Meta's side). Retrying is fine for reads; a send must not be repeated.
     */
    readonly isOutcomeUnknown = false,
  ) {
    super(message);
  }
  get isRetryable() {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131056, 131048]);
const TRANSIENT_CODES = new Set([1, 2, 1200, 131000, 131016, 133004]);
const PERMISSION_CODES = new Set([3, 10, 200, 131005, 368, 131031]);

/** Classifies on numeric codes only: message texts vary between versions and languages. */
export const classifyGraphError = (status: number, code?: number, subcode?: number): GraphErrorKind => {
  if (code === 10 && subcode === 2018278) return 'window_closed';
  if (code === 10 && subcode === 2018300) return 'thread_owned';
  if (code === 551 || (code === 100 && subcode === 2018001) || (code === 10 && subcode === 2018108) || code === 131026)
    return 'user_unavailable';
  if (code === 190 || code === 102 || code === 463 || code === 467) return 'token_invalid';
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if ((code !== undefined && PERMISSION_CODES.has(code)) || (code !== undefined && code >= 200 && code <= 299)) return 'permission';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 0) return 'transient';
  return 'bad_request';
};

export const graphErrorFromResponse = (status: number, body: unknown): GraphError => {
  const err = (body as { error?: { code?: unknown; error_subcode?: unknown; message?: unknown } } | null)?.error;
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const subcode = typeof err?.error_subcode === 'number' ? err.error_subcode : undefined;
  const kind = classifyGraphError(status, code, subcode);
  // A Graph error body is Meta refusing the request. A bare 502/504 is a gateway that gave up waiting for Meta,
  // which may still have acted on it.
  const isOutcomeUnknown = (status === 502 || status === 504) && code === undefined;
  // Graph messages can echo request parameters; keep only the classification and codes.
  return new GraphError(
    kind,
    status,
    code,
    subcode,
    `Graph API ${status} (${kind}, code ${code ?? '-'}/${subcode ?? '-'})`,
    isOutcomeUnknown,
  );
};

/**
 * Failures before the request could leave this machine: no connection, name or TLS session was ever set up,
 * so Meta cannot have seen it. (undici gives up connecting after 10 s, before our request timeout, so a Graph
 * that never accepts the connection shows up here rather than as a timeout.)
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_HANDSHAKE_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/**
 * A fetch that threw instead of answering. A refused or unresolvable connection was not sent; anything else (our
 * timeout, ECONNRESET, "other side closed", socket hang-up) happened after the request may have been written, so
 * its outcome is unknown. Both are transient for reads.
 */
export const graphErrorFromFetchFailure = (err: unknown): GraphError => {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const isNotSent = code !== undefined && (NOT_SENT_CODES.has(code) || TLS_HANDSHAKE_CODE.test(code));
  const what = code ?? (err as Error | null)?.name ?? 'error';
  return isNotSent
    ? new GraphError('transient', 0, undefined, undefined, `Graph API unreachable: ${what}`)
    : new GraphError('transient', 0, undefined, undefined, `Graph API did not answer (${what}); the request may have been processed`, true);
};
