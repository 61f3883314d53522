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

/** undefined: the conversation does not exist (yet). */
export type ConversationHead = { updatedAt: number; typing: boolean } | undefined;

type Waiter = { since: ConversationHead; wake: (head: ConversationHead) => void };

const headOf = (row: { updatedAt?: Date | null; typing?: boolean | null } | null | undefined): ConversationHead =>
  row ? { updatedAt: row.updatedAt?.getTime() ?? 0, typing: Boolean(row.typing) } : undefined;

const hasChanged = (a: ConversationHead, b: ConversationHead) => a?.updatedAt !== b?.updatedAt || a?.typing !== b?.typing;

/** Ids per query: keeps each `$in` small enough for the _id index and the wire. */
const CHUNK = 500;

export const createConversationWatch = (models: Models, intervalMs: number) => {
  const waiting = new Map<string, Set<Waiter>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isTicking = false;

  const tick = async () => {
    timer = undefined;
    isTicking = true;
    try {
      const ids = [...waiting.keys()];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = await models.Conversation.find({ _id: { $in: chunk } }, { typing: 1, updatedAt: 1 }).lean();
        const heads = new Map(rows.map((r) => [r._id, headOf(r)]));
        for (const id of chunk) for (const w of waiting.get(id) ?? []) if (hasChanged(w.since, heads.get(id))) w.wake(heads.get(id));
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
    /** The conversation's marker now (one `_id` read): what a poll compares later ticks with. */
    head: async (conversationId: string): Promise<ConversationHead> =>
      headOf(await models.Conversation.findById(conversationId, { typing: 1, updatedAt: 1 }).lean()),

    /** Resolves with the new marker once the conversation differs from `since`, or with `changed: false` at the deadline or abort. */
    waitForChange: (conversationId: string, since: ConversationHead, until: number, signal: AbortSignal) =>
      new Promise<{ changed: true; head: ConversationHead } | { changed: false }>((resolve) => {
        const waiters = waiting.get(conversationId) ?? new Set<Waiter>();
        const finish = (result: { changed: true; head: ConversationHead } | { changed: false }) => {
          clearTimeout(deadline);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0 && waiting.get(conversationId) === waiters) waiting.delete(conversationId);
          resolve(result);
        };
        const waiter: Waiter = { since, wake: (head) => finish({ changed: true, head }) };
        const onAbort = () => finish({ changed: false });
        const deadline = setTimeout(onAbort, Math.max(0, until - Date.now()));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort);
        waiters.add(waiter);
        waiting.set(conversationId, waiters);
        schedule();
      }),

    /** How many conversations are being watched (tests, metrics). */
    get watched() {
      return waiting.size;
    },
  };
};
export type ConversationWatch = ReturnType<typeof createConversationWatch>;
