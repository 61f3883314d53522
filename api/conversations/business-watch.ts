/**
 * What keeps the web app's inbox live and cheap: one timer per API process asks, for each business a long-poll
 * waits on, whether any conversation or lead of it changed after the newest change that poll has seen (their
 * `updatedAt`), and wakes only those polls. The cursor is that `updatedAt` in milliseconds; the activities write
 * the message rows before they touch the conversation, so a moved cursor means the new messages can be read.
 */
import type { Models } from '../../db/models/index.js';

export type BusinessChange = { cursor: number; conversationIds: string[] };
type Waiter = { since: number; wake: (change: BusinessChange) => void };

export const createBusinessWatch = (models: Models, intervalMs: number) => {
  const waiting = new Map<string, Set<Waiter>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isTicking = false;

  /** Changes of `businessId` after `since` (ms), newest first; at most 50 conversation ids. */
  const changesAfter = async (businessId: string, since: number): Promise<BusinessChange> => {
    const after = { businessId, updatedAt: { $gt: new Date(since) } };
    const [conversations, lead] = await Promise.all([
      models.Conversation.find(after, { updatedAt: 1 }).sort({ updatedAt: -1 }).limit(50).lean(),
      models.Lead.findOne(after, { updatedAt: 1 }).sort({ updatedAt: -1 }).lean(),
    ]);
    const times = [since, ...conversations.map((c) => c.updatedAt?.getTime() ?? 0), lead?.updatedAt?.getTime() ?? 0];
    return { cursor: Math.max(...times), conversationIds: conversations.map((c) => c._id) };
  };

  const tick = async () => {
    timer = undefined;
    isTicking = true;
    try {
      for (const [businessId, waiters] of waiting) {
        const since = Math.min(...[...waiters].map((w) => w.since));
        const change = await changesAfter(businessId, since);
        if (change.cursor === since) continue;
        for (const w of [...waiters]) if (change.cursor > w.since) w.wake(change);
      }
    } catch {
      // The database is unreachable for a moment: the polls wait for the next tick or answer at their deadline.
    } finally {
      isTicking = false;
      schedule();
    }
  };

  function schedule() {
    if (timer || isTicking || waiting.size === 0) return;
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  }

  return {
    /** The newest change of the business now: where a client without a cursor starts. */
    cursorNow: async (businessId: string) => (await changesAfter(businessId, 0)).cursor,

    /** Resolves once the business changed after `since`, or with undefined at the deadline or abort. */
    waitForChange: async (businessId: string, since: number, until: number, signal: AbortSignal): Promise<BusinessChange | undefined> => {
      const already = await changesAfter(businessId, since);
      if (already.cursor > since) return already;
      return new Promise((resolve) => {
        const waiters = waiting.get(businessId) ?? new Set<Waiter>();
        const finish = (result: BusinessChange | undefined) => {
          clearTimeout(deadline);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0 && waiting.get(businessId) === waiters) waiting.delete(businessId);
          resolve(result);
        };
        const waiter: Waiter = { since, wake: (change) => finish(change) };
        const onAbort = () => finish(undefined);
        const deadline = setTimeout(onAbort, Math.max(0, until - Date.now()));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort);
        waiters.add(waiter);
        waiting.set(businessId, waiters);
        schedule();
      });
    },

    get watched() {
      return waiting.size;
    },
  };
};
export type BusinessWatch = ReturnType<typeof createBusinessWatch>;
