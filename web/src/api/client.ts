/**
 * The typed API client: openapi-fetch over the generated paths (schema.d.ts, from /openapi.json). Every request
 * carries the access token held in memory; a 401 triggers one refresh through the login cookie, then a retry.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type { paths };
type Tokens = { get: () => string | undefined; refresh: () => Promise<boolean>; onSignedOut: () => void };
let tokens: Tokens = { get: () => undefined, refresh: async () => false, onSignedOut: () => undefined };
export const useTokens = (t: Tokens) => void (tokens = t);

export const APP_HEADER = 'x-luxleads-app';
const NO_RETRY = /\/api\/v1\/auth\/(login|signup|web-session|password-reset)/;

const withAuth = (req: Request) => {
  const next = new Request(req);
  const token = tokens.get();
  if (token) next.headers.set('Authorization', `Bearer ${token}`);
  next.headers.set(APP_HEADER, '1');
  return next;
};

/** fetch with the access token; after a 401, one refresh and one retry. */
export const authedFetch = async (req: Request): Promise<Response> => {
  const retry = req.clone();
  const res = await fetch(withAuth(req));
  if (res.status !== 401 || NO_RETRY.test(new URL(req.url).pathname)) return res;
  if (!(await tokens.refresh())) {
    tokens.onSignedOut();
    return res;
  }
  return fetch(withAuth(retry));
};

export const api = createClient<paths>({ baseUrl: location.origin, fetch: authedFetch });

export type Problem = { title?: string; detail?: string; status?: number; errors?: { field?: string; message?: string }[] };
export type Schemas = components['schemas'];

/** Thrown by `data()` for a non-2xx answer: the problem document the API sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  /** Field messages, e.g. `body.password: must be at least 12 characters`, for showing beside the form. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) if (e.field && e.message) out[e.field.split('.').slice(1).join('.')] = e.message;
    return out;
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem document. */
export const data = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data: body, error, response } = await call;
  if (response.ok) return body as T;
  throw new ApiError(response.status, (error ?? {}) as Problem);
};
