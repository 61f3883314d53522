/**
 * Deadlines for calls to Temporal made while an HTTP request waits. Without one the client retries an
 * unreachable server for tens of seconds, and waits on one that accepts connections but never answers for as
 * long as the socket stays open; the API must instead answer 503 quickly so the caller can try again.
 */
import { isGrpcDeadlineError, isGrpcServiceError, type Client } from '@temporalio/client';

/** Where workflows are started: the client, its queue and, on the API side, how long one call may take. */
export type TemporalTarget = { client: Client; taskQueue: string; callTimeoutMs?: number };

/** Runs `call` (one or more client calls) under one deadline; without `callTimeoutMs` (worker side) as is. */
export const withCallDeadline = <T>(t: Pick<TemporalTarget, 'client' | 'callTimeoutMs'>, call: () => Promise<T>): Promise<T> =>
  t.callTimeoutMs ? t.client.withDeadline(Date.now() + t.callTimeoutMs, call) : call();

const GRPC_UNAVAILABLE = 14;

/** A deadline missed or the server unreachable, anywhere in the cause chain: "try again", not a bug. */
export const isTemporalUnavailable = (err: unknown): boolean => {
  if (isGrpcDeadlineError(err)) return true;
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (isGrpcServiceError(e) && e.code === GRPC_UNAVAILABLE) return true;
  return false;
};
