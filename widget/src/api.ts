/**
 * Thin fetch wrapper for /widget/v1. Every failure becomes an ApiError so callers branch on
 * `status` alone: 0 = network/timeout, 403 = stop for good, 429 = honour Retry-After.
 */
import type { PollResponse, Problem, SendResponse, SessionResponse } from './types.js';

/** Seconds the server may hold a long-poll open. */
export const POLL_WAIT_S = 25;
/** Give the long-poll some slack over `wait` before deciding the connection is dead. */
const POLL_TIMEOUT_MS = (POLL_WAIT_S + 10) * 1000;
const REQUEST_TIMEOUT_MS = 15_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly problem: Problem | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (value: string | null, now: number = Date.now()): number | null => {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
};

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface WidgetApi {
  startSession(sessionId?: string | null): Promise<SessionResponse>;
  sendMessage(sessionId: string, text: string, clientMessageId: string): Promise<SendResponse>;
  /** waitS = 0 asks for an immediate answer (used to probe the connection after an error). */
  poll(sessionId: string, cursor: string | null, signal?: AbortSignal, waitS?: number): Promise<PollResponse>;
}

const readProblem = async (res: Response): Promise<Problem | null> => {
  try {
    return (await res.json()) as Problem;
  } catch {
    return null;
  }
};

export const createApi = (base: string, key: string, fetchImpl: FetchLike = (u, i) => fetch(u, i)): WidgetApi => {
  const root = base.replace(/\/+$/, '') + '/widget/v1';

  const request = async <T>(url: string, init: RequestInit, timeoutMs: number, outer?: AbortSignal): Promise<T> => {
    // Own controller so a hung connection is cut after timeoutMs; linked to the caller's signal
    // by hand because AbortSignal.any is too new for the browsers es2019 targets.
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    if (outer?.aborted) ctl.abort();
    outer?.addEventListener('abort', onAbort);
    const timer = setTimeout(onAbort, timeoutMs);
    let res: Response;
    try {
      // credentials: 'omit' — the widget never sends or sets cookies on the business's visitors.
      res = await fetchImpl(url, { ...init, credentials: 'omit', mode: 'cors', signal: ctl.signal });
    } catch (err) {
      throw new ApiError(0, ctl.signal.aborted ? 'Request aborted or timed out' : String(err));
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
    if (!res.ok) {
      const problem = await readProblem(res);
      const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
      throw new ApiError(res.status, problem?.detail ?? problem?.title ?? `HTTP ${res.status}`, retryAfter, problem);
    }
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(0, 'Malformed response');
    }
  };

  const post = <T>(path: string, body: object) =>
    request<T>(
      root + path,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key, ...body }) },
      REQUEST_TIMEOUT_MS,
    );

  return {
    startSession: (sessionId) => post<SessionResponse>('/sessions', sessionId ? { sessionId } : {}),
    sendMessage: (sessionId, text, clientMessageId) => post<SendResponse>('/messages', { sessionId, text, clientMessageId }),
    poll: (sessionId, cursor, signal, waitS = POLL_WAIT_S) => {
      const q = new URLSearchParams({ key, sessionId });
      if (cursor !== null) q.set('after', cursor);
      q.set('wait', String(waitS));
      return request<PollResponse>(`${root}/messages?${q.toString()}`, { method: 'GET' }, POLL_TIMEOUT_MS, signal);
    },
  };
};
