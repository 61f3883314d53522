/**
 * Shared base for the provider fakes: a node:http server on 127.0.0.1 that records every request,
 * lets a test queue failures or slow responses, and hands everything else to the fake's handler.
 *
 * Why a real socket and not mocks: the tests drive the real SDK clients (openai, stripe, resend) and
 * our fetch-based Graph client, so retries, headers and body encodings are exercised for real.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRequestBody } from './request-body.js';

export type RecordedCall = {
  method: string;
  /** Path without the query string, e.g. `/v25.0/me/messages`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON, nested form object, raw text, or undefined for an empty body. */
  body: unknown;
  /** Date.now() when the request body had fully arrived. */
  at: number;
};

/** What a fake's handler answers. `raw` is written as-is (e.g. an SSE stream); otherwise `body` as JSON. */
export type FakeReply = { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> };

export type FaultSpec = {
  method?: string;
  path?: RegExp;
  /** How many matching requests this fault answers before it is used up. Default 1. */
  times?: number;
  status: number;
  /** Response body; defaults to the provider-shaped error for `status`. */
  body?: unknown;
  /** Wait this long before answering (e.g. to trip a client timeout). */
  delayMs?: number;
  /** Extra response headers, e.g. `retry-after-ms` so SDK retries don't sleep for seconds. */
  headers?: Record<string, string>;
};

/**
 * The provider accepts and acts on the request (the fake's handler runs, so a send is recorded), then the answer
 * is lost: `stall` never answers (the client times out), `reset` destroys the connection (ECONNRESET / "other
 * side closed"). The caller cannot tell whether it worked, which is what at-most-once sending must survive.
 */
export type AcceptThenDropSpec = {
  method?: string;
  path?: RegExp;
  mode: 'stall' | 'reset';
  /** Let this many matching requests through normally first (e.g. drop only a reply's third chunk). Default 0. */
  skip?: number;
  /** How many matching requests are dropped once the skipped ones have passed. Default 1. */
  times?: number;
};

export type RecordingServerOptions = {
  /** Shown in error messages so a failing test says which fake it was talking to. */
  name: string;
  handle: (call: RecordedCall) => FakeReply | Promise<FakeReply>;
  /** Provider-shaped error body used when a fault does not give one. */
  faultBody?: (status: number) => unknown;
  /** Served unrecorded at GET /__fake/state, for people poking a running fake with curl. */
  debugState?: () => unknown;
  /** Extra cleanup when `reset()` is called (outputs the fake derived from calls). */
  onReset?: () => void;
  port?: number;
  host?: string;
};

export type RecordingServer = {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request in arrival order (including ones answered by a fault). Cleared by reset(). */
  readonly calls: RecordedCall[];
  callsTo(method: string, pathRegex: RegExp): RecordedCall[];
  /**
   * Resolves with the matching calls once `count` of them have arrived (calls recorded before the wait
   * count too); after `timeoutMs` (default 10 s) rejects with a message listing every call that did arrive.
   */
  waitForCalls(predicate: (call: RecordedCall) => boolean, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Queue a failure; queued faults are matched in order against each incoming request. */
  failNext(fault: FaultSpec): void;
  /** Queue an accept-then-drop: the request takes effect but its answer never arrives (see AcceptThenDropSpec). */
  acceptThenDrop(spec: AcceptThenDropSpec): void;
  /** Delay every response by `ms` (0 turns it off). */
  delayAll(ms: number): void;
  /** Forget calls, queued faults and the global delay; programmed state of the fake stays. */
  reset(): void;
  close(): Promise<void>;
};

type Waiter = { predicate: (call: RecordedCall) => boolean; count: number; resolve: (calls: RecordedCall[]) => void };

export const describeCall = (call: RecordedCall): string => {
  const body = call.body === undefined ? '' : ` ${JSON.stringify(call.body).slice(0, 200)}`;
  return `${call.method} ${call.path}${body}`;
};

export const startRecordingServer = async (options: RecordingServerOptions): Promise<RecordingServer> => {
  const calls: RecordedCall[] = [];
  const faults: (FaultSpec & { times: number })[] = [];
  const drops: (AcceptThenDropSpec & { skip: number; times: number })[] = [];
  const waiters = new Set<Waiter>();
  const timers = new Set<NodeJS.Timeout>();
  let globalDelayMs = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const notifyWaiters = () => {
    for (const waiter of waiters) {
      const matching = calls.filter(waiter.predicate);
      if (matching.length >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve(matching);
      }
    }
  };

  const takeFault = (call: RecordedCall): FaultSpec | undefined => {
    const index = faults.findIndex((f) => (!f.method || f.method.toUpperCase() === call.method) && (!f.path || f.path.test(call.path)));
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.times -= 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  };

  const takeDrop = (call: RecordedCall): AcceptThenDropSpec['mode'] | undefined => {
    const drop = drops.find((d) => (!d.method || d.method.toUpperCase() === call.method) && (!d.path || d.path.test(call.path)));
    if (!drop) return undefined;
    if (drop.skip > 0) {
      drop.skip -= 1;
      return undefined;
    }
    drop.times -= 1;
    if (drop.times <= 0) drops.splice(drops.indexOf(drop), 1);
    return drop.mode;
  };

  const send = (res: ServerResponse, reply: FakeReply) => {
    // The socket may be gone (client timed out, or close() ran while we were delaying).
    if (res.destroyed || res.writableEnded) return;
    const isRaw = reply.raw !== undefined;
    const payload = isRaw ? reply.raw! : reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, {
      ...(isRaw || reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...reply.headers,
    });
    res.end(payload);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake.local');
    // Debug window for people poking the demo sandbox with curl; not recorded on purpose.
    if (req.method === 'GET' && url.pathname === '/__fake/calls') return send(res, { body: calls });
    if (req.method === 'GET' && url.pathname === '/__fake/state') return send(res, { body: options.debugState?.() ?? {} });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const call: RecordedCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parseRequestBody(Buffer.concat(chunks), headers['content-type']),
      at: Date.now(),
    };
    calls.push(call);
    notifyWaiters();

    const drop = takeDrop(call);
    if (drop) {
      await Promise.resolve(options.handle(call)).catch(() => undefined);
      // A stalled answer is simply never written; close() ends the socket with the rest.
      if (drop === 'reset') req.socket.resetAndDestroy();
      return;
    }
    const fault = takeFault(call);
    await sleep(globalDelayMs + (fault?.delayMs ?? 0));
    if (fault) {
      return send(res, {
        status: fault.status,
        body: fault.body ?? options.faultBody?.(fault.status) ?? { error: `injected ${fault.status}` },
        headers: fault.headers,
      });
    }
    try {
      send(res, await options.handle(call));
    } catch (error) {
      // A bug in a fake should fail loudly in the test, not hang the client.
      send(res, { status: 500, body: { fakeError: `${options.name} handler threw: ${String(error)}` } });
    }
  };

  const server = createServer((req, res) => void onRequest(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    calls,
    callsTo: (method, pathRegex) => calls.filter((c) => c.method === method.toUpperCase() && pathRegex.test(c.path)),
    waitForCalls: (predicate, count = 1, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const waiter: Waiter = { predicate, count, resolve: () => undefined };
        const timer = setTimeout(() => {
          timers.delete(timer);
          waiters.delete(waiter);
          const matched = calls.filter(predicate).length;
          const arrived = calls.map((c) => `  - ${describeCall(c)}`).join('\n') || '  (none)';
          reject(
            new Error(
              `${options.name}: expected ${count} matching call(s) within ${timeoutMs}ms, got ${matched}. Calls that arrived:\n${arrived}`,
            ),
          );
        }, timeoutMs);
        timers.add(timer);
        waiter.resolve = (matching) => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(matching);
        };
        waiters.add(waiter);
        notifyWaiters();
      }),
    failNext: (fault) => {
      faults.push({ ...fault, times: fault.times ?? 1 });
    },
    acceptThenDrop: (spec) => {
      drops.push({ ...spec, skip: spec.skip ?? 0, times: spec.times ?? 1 });
    },
    delayAll: (ms) => {
      globalDelayMs = ms;
    },
    reset: () => {
      calls.length = 0;
      faults.length = 0;
      drops.length = 0;
      globalDelayMs = 0;
      options.onReset?.();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Keep-alive sockets from SDK agents would otherwise keep close() pending forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/**
 * A tiny router: the first route whose method and regex match gets the capture groups.
 * A handler may return `undefined` to pass (e.g. WhatsApp and Messenger share `/{id}/messages`).
 */
export type Route = [
  method: string,
  pattern: RegExp,
  handler: (call: RecordedCall, params: string[]) => FakeReply | undefined | Promise<FakeReply | undefined>,
];

export const dispatch = async (routes: Route[], call: RecordedCall, fallback: (call: RecordedCall) => FakeReply): Promise<FakeReply> => {
  for (const [method, pattern, handler] of routes) {
    const match = method === call.method || method === '*' ? pattern.exec(call.path) : null;
    if (!match) continue;
    const reply = await handler(
      call,
      match.slice(1).map((p) => decodeURIComponent(p ?? '')),
    );
    if (reply) return reply;
  }
  return fallback(call);
};

/** Bearer token from the Authorization header, if any. */
export const bearerToken = (call: RecordedCall): string | undefined => {
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(call.headers.authorization ?? '');
  return match?.[1]?.trim();
};

export const randomId = (length = 24): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
};
