/**
 * Which workflow a customer event belongs to. New threads are named with the current key; while an older key
 * is still in ENCRYPTION_KEY, a thread started under it keeps its id, so the person's next message reaches the
 * running workflow instead of starting a second one. The thread's Conversation row (`_id` = workflow id,
 * written by the first activity) says which id exists; with one key in the ring nothing is read.
 */
import type { Models } from '../../db/models/index.js';
import type { KeyRing } from '../../lib/crypto.js';
import { conversationWorkflowId, conversationWorkflowIds } from '../../domain/workflow-ids.js';
import type { ConversationKey } from '../../domain/conversation.js';

export const createThreadIds = (deps: { models: Models; keyRing: KeyRing; prefix?: string }) => {
  const prefix = deps.prefix ?? '';
  const current = (key: ConversationKey) => `${prefix}${conversationWorkflowId(deps.keyRing, key)}`;

  return {
    /** The id a new thread gets (current key). */
    current,
    /** The id of this person's thread: an existing one under any ring key, else the current key's. */
    async resolve(key: ConversationKey): Promise<string> {
      const [newest, ...older] = conversationWorkflowIds(deps.keyRing, key).map((id) => `${prefix}${id}`);
      if (older.length === 0) return newest!;
      // One `_id` read per key (FerretDB serves `$in` by scanning); the current key first, as most threads are new.
      for (const id of [newest!, ...older]) if (await deps.models.Conversation.exists({ _id: id })) return id;
      return newest!;
    },
  };
};
export type ThreadIds = ReturnType<typeof createThreadIds>;
