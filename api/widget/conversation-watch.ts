/**
 * What keeps a widget long-poll cheap: one timer per API process reads the change marker of every conversation
 * a long-poll is waiting on in one query per tick, and wakes only the polls whose conversation changed. A waiting
 * poll then costs its share of that query instead of two queries of its own every tick.
 *
 * The marker is the conversation's `updatedAt` and `typing`: every write the widget can see (a visitor message
 * stored, a reply sent, the typing flag) updates the conversation record after the message rows, so a changed
 * marker means the messages are already there to read.
 */
import type { Models } from '../../db/models/index.js';
import { createPollWaits } from '../../lib/poll-waits.js';

/** undefined: the conversation does not exist (yet). */
export type ConversationHead = { updatedAt: number; typing: boolean } | undefined;

const headOf = (row: { updatedAt?: Date | null; typing?: boolean | null } | null | undefined): ConversationHead =>
  row ? { updatedAt: row.updatedAt?.getTime() ?? 0, typing: Boolean(row.typing) } : undefined;

const hasChanged = (a: ConversationHead, b: ConversationHead) => a?.updatedAt !== b?.updatedAt || a?.typing !== b?.typing;

/** Ids per query: keeps each `$in` small enough for the _id index and the wire. */
const CHUNK = 500;

export const createConversationWatch = (models: Models, intervalMs: number) => {
  const waits = createPollWaits<ConversationHead, { head: ConversationHead }>(intervalMs, async (waiting) => {
    const ids = [...waiting.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = await models.Conversation.find({ _id: { $in: chunk } }, { typing: 1, updatedAt: 1 }).lean();
      const heads = new Map(rows.map((r) => [r._id, headOf(r)]));
      for (const id of chunk)
        for (const w of [...(waiting.get(id) ?? [])]) if (hasChanged(w.since, heads.get(id))) w.wake({ head: heads.get(id) });
    }
  });

  return {
    /** The conversation's marker now (one `_id` read): what a poll compares later ticks with. */
    head: async (conversationId: string): Promise<ConversationHead> =>
      headOf(await models.Conversation.findById(conversationId, { typing: 1, updatedAt: 1 }).lean()),

    /** Resolves with the new marker once the conversation differs from `since`, or with `changed: false` at the deadline or abort. */
    waitForChange: async (
      conversationId: string,
      since: ConversationHead,
      until: number,
      signal: AbortSignal,
    ): Promise<{ changed: true; head: ConversationHead } | { changed: false }> => {
      const woken = await waits.wait(conversationId, since, until, signal);
      return woken ? { changed: true, head: woken.head } : { changed: false };
    },

    /** How many conversations are being watched (tests, metrics). */
    get watched() {
      return waits.watched;
    },
  };
};
export type ConversationWatch = ReturnType<typeof createConversationWatch>;
