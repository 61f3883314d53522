/** Follows the fake Graph's Send API log: per recipient, when each message arrived, and waiting for the next one. */
import type { FakeGraph, SentMessage } from '../../sandbox/fakes/graph.js';

type Waiter = { count: number; resolve: (m: SentMessage | undefined) => void; timer: NodeJS.Timeout };

export const watchSends = (graph: FakeGraph, pollMs = 5) => {
  let seen = 0;
  const byRecipient = new Map<string, SentMessage[]>();
  const waiters = new Map<string, Set<Waiter>>();

  const poll = () => {
    const sent = graph.state.sent;
    for (; seen < sent.length; seen++) {
      const m = sent[seen]!;
      const list = byRecipient.get(m.recipientId) ?? [];
      list.push(m);
      byRecipient.set(m.recipientId, list);
      for (const w of waiters.get(m.recipientId) ?? []) {
        if (list.length >= w.count) {
          clearTimeout(w.timer);
          waiters.get(m.recipientId)!.delete(w);
          w.resolve(list[w.count - 1]);
        }
      }
    }
  };
  const timer = setInterval(poll, pollMs);

  return {
    /** Sends to `recipient` so far. */
    sentTo: (recipient: string) => byRecipient.get(recipient) ?? [],
    recipients: () => byRecipient.size,
    total: () => seen,
    /** Resolves with the `count`-th message sent to `recipient` (1-based), or undefined after `timeoutMs`. */
    waitForNth: (recipient: string, count: number, timeoutMs: number): Promise<SentMessage | undefined> => {
      poll();
      const existing = byRecipient.get(recipient);
      if (existing && existing.length >= count) return Promise.resolve(existing[count - 1]);
      return new Promise((resolve) => {
        const set = waiters.get(recipient) ?? new Set<Waiter>();
        waiters.set(recipient, set);
        const w: Waiter = { count, resolve, timer: setTimeout(() => (set.delete(w), resolve(undefined)), timeoutMs) };
        set.add(w);
      });
    },
    stop: () => clearInterval(timer),
  };
};
export type SendWatcher = ReturnType<typeof watchSends>;
