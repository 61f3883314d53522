/** Signed Messenger webhook bodies and posting them, for the benchmarks (Meta's wire format, our app secret). */
import { DEMO } from '../../db/seed-demo.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../../test/helpers/meta-events.js';
import { BENCH_APP_SECRET } from './stack.js';

export type OutgoingMessage = { senderId: string; text: string; mid?: string };
export type SignedBody = { raw: string; signature: string; mids: string[] };

/** One webhook POST carrying these messages to the demo Page, signed like Meta signs it. */
export const signedMessengerBody = (messages: readonly OutgoingMessage[]): SignedBody => {
  const events = messages.map((m) => messagingEvent({ pageId: DEMO.messengerPageId, senderId: m.senderId, text: m.text, mid: m.mid ?? mid('bench') }));
  return { ...signed(metaJson(webhookBody('page', [{ id: DEMO.messengerPageId, messaging: events }])), BENCH_APP_SECRET), mids: events.map((e) => e.message.mid) };
};

export type PostResult = { status: number; ms: number; startedAt: number };

export const postWebhook = async (apiUrl: string, body: SignedBody): Promise<PostResult> => {
  const startedAt = Date.now();
  const t0 = performance.now();
  try {
    const res = await fetch(`${apiUrl}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': body.signature },
      body: body.raw,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0, startedAt };
  } catch {
    return { status: 0, ms: performance.now() - t0, startedAt };
  }
};

/** Runs `fn` over `items` with at most `concurrency` in flight; results in item order. */
export const mapConcurrent = async <T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> => {
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
