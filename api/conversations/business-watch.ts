/**
 * What keeps the web app's inbox live and cheap: one timer per API process asks, for each business a long-poll
 * waits on, whether any conversation or lead of it changed after the newest change that poll has seen (their
 * `updatedAt`), and wakes only those polls. The cursor is that `updatedAt` in milliseconds; the activities write
 * the message rows before they touch the conversation, so a moved cursor means the new messages can be read.
 */
import type { Models } from '../../db/models/index.js';
import { createPollWaits } from '../../lib/poll-waits.js';

export type BusinessChange = { cursor: number; conversationIds: string[] };

export const createBusinessWatch = (models: Models, intervalMs: number) => {
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

  const waits = createPollWaits<number, BusinessChange>(intervalMs, async (waiting) => {
    for (const [businessId, waiters] of waiting) {
      const since = Math.min(...[...waiters].map((w) => w.since));
      const change = await changesAfter(businessId, since);
      if (change.cursor === since) continue;
      for (const w of [...waiters]) if (change.cursor > w.since) w.wake(change);
    }
  });

  return {
    /** The newest change of the business now: where a client without a cursor starts. */
    cursorNow: async (businessId: string) => (await changesAfter(businessId, 0)).cursor,

    /** Resolves once the business changed after `since`, or with undefined at the deadline or abort. */
    waitForChange: async (businessId: string, since: number, until: number, signal: AbortSignal): Promise<BusinessChange | undefined> => {
      const already = await changesAfter(businessId, since);
      if (already.cursor > since) return already;
      return waits.wait(businessId, since, until, signal);
    },

    get watched() {
      return waits.watched;
    },
  };
};
export type BusinessWatch = ReturnType<typeof createBusinessWatch>;
