/**
 * One POST to an address vetted by outbound-target.ts: the socket connects to that address only (TLS SNI and
 * Host stay the host name), a redirect is reported rather than followed, and at most `maxResponseBytes` of
 * the answer are read. Failures come back as plain reasons; the low-level code is for our own logs only.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedTarget } from './outbound-target.js';

export type PostOutcome = { statusCode: number; isTruncated?: boolean } | { error: 'timeout' | 'connection failed'; code?: string };

export type PinnedPost = {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  maxResponseBytes: number;
};

/** A `lookup` that always answers with the vetted address, whatever the resolver would say now. */
const pinnedLookup = (address: string, family: 4 | 6): LookupFunction =>
  ((_hostname: string, options: unknown, callback?: (...args: unknown[]) => void) => {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    if (typeof options === 'object' && options !== null && (options as { all?: boolean }).all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as LookupFunction;

export const postPinned = (target: Extract<VettedTarget, { isAllowed: true }>, post: PinnedPost): Promise<PostOutcome> =>
  new Promise((resolve) => {
    const { url } = target;
    let statusCode: number | undefined;
    let isSettled = false;
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request({
      protocol: url.protocol,
      hostname: target.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      // No shared pool: a socket is only ever opened to the address vetted for this request.
      agent: false,
      lookup: pinnedLookup(target.address, target.family),
    });
    const settle = (outcome: PostOutcome) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    // Once the status line is in, a slow or endless body no longer changes the outcome.
    const timer = setTimeout(() => settle(statusCode === undefined ? { error: 'timeout' } : { statusCode }), post.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      settle(statusCode === undefined ? { error: 'connection failed', code: err.code } : { statusCode }),
    );
    req.on('response', (res) => {
      statusCode = res.statusCode ?? 0;
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > post.maxResponseBytes) settle({ statusCode: statusCode!, isTruncated: true });
      });
      res.on('end', () => settle({ statusCode: statusCode! }));
      res.on('error', () => settle({ statusCode: statusCode! }));
    });
    req.end(post.body);
  });
