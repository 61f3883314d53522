/** The conversation so far, as the assistant sees it: recent messages in order, drafts excluded. */
import type { TranscriptMessage } from '../ai/types.js';
import type { Models } from '../db/models/index.js';

export const TRANSCRIPT_LIMIT = 40;

export type TranscriptEntry = TranscriptMessage & { id: string };

export type RecentEntry = { id?: string | null; direction?: string | null; author?: string | null; text?: string | null; at?: Date | null };

/**
 * The rolling transcript with `entries` added: sorted by time, an entry already there (a retry) not added twice,
 * the last TRANSCRIPT_LIMIT kept. Pure, so a caller can put it into the same update as its other changes.
 */
export const mergeRecent = (recent: RecentEntry[] | null | undefined, entries: TranscriptEntry[]) => {
  const current = recent ?? []; // absent on threads created by an upsert
  const known = new Set(current.map((r) => r.id));
  return [...current, ...entries.filter((e) => !known.has(e.id)).map((e) => ({ ...e, at: new Date(e.at) }))]
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0))
    .slice(-TRANSCRIPT_LIMIT);
};

/** Adds messages to the conversation's rolling transcript; an entry already there (a retry) is not added twice. */
export const appendToTranscript = async (models: Models, conversationId: string, entries: TranscriptEntry[]) => {
  if (entries.length === 0) return;
  const conv = await models.Conversation.findById(conversationId, { recent: 1 }).lean();
  if (!conv) return;
  // $push with $slice would do this in one step, but FerretDB v1 ignores $slice; activities of one thread run one at a time.
  await models.Conversation.updateOne({ _id: conversationId }, { $set: { recent: mergeRecent(conv.recent, entries) } });
};

/** The stored rolling transcript as the assistant reads it. */
export const toTranscript = (recent: RecentEntry[] | null | undefined): TranscriptMessage[] =>
  (recent ?? []).map((m) => ({
    direction: m.direction as TranscriptMessage['direction'],
    author: m.author as TranscriptMessage['author'],
    text: m.text ?? '',
    at: (m.at ?? new Date(0)).toISOString(),
  }));

export const loadTranscript = async (models: Models, conversationId: string): Promise<TranscriptMessage[]> =>
  toTranscript((await models.Conversation.findById(conversationId, { recent: 1 }).lean())?.recent);
