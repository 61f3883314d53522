/** Signed Messenger webhook bodies and posting them, for the benchmarks (Meta's wire format, our app secret). */
import http from 'node:http';
import { DEMO } from '../../domain/demo-seed.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../../test/helpers/meta-events.js';
import { BENCH_APP_SECRET } from './stack.js';

export type OutgoingMessage = { senderId: string; text: string; mid?: string };
export type SignedBody = { raw: string; signature: string; mids: string[] };

/** One webhook POST carrying these messages to the demo Page, signed like Meta signs it. */
export const signedMessengerBody = (messages: readonly OutgoingMessage[]): SignedBody => {
  const events = messages.map((m) =>
    messagingEvent({ pageId: DEMO.messengerPageId, senderId: m.senderId, text: m.text, mid: m.mid ?? mid('bench') }),
  );
  return {
    ...signed(metaJson(webhookBody('page', [{ id: DEMO.messengerPageId, messaging: events }])), BENCH_APP_SECRET),
    mids: events.map((e) => e.message.mid),
  };
};

export type PostResult = { status: number; ms: number; startedAt: number };

// node:http with a keep-alive pool: about half the CPU of fetch() per request, which matters when the generator
// shares two cores with the API and the Temporal server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export const postWebhook = (apiUrl: string, body: SignedBody): Promise<PostResult> => {
  const startedAt = Date.now();
  const t0 = performance.now();
  const url = new URL(`${apiUrl}/webhooks/meta`);
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ status, ms: performance.now() - t0, startedAt });
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body.raw),
          'x-hub-signature-256': body.signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(0));
    req.end(body.raw);
  });
};

/** Runs `fn` over `items` with at most `concurrency` in flight; results in item order. */
export const mapConcurrent = async <T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
};
