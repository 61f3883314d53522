/** The conversation so far, as the assistant sees it: recent messages in order, drafts excluded. */
import type { TranscriptMessage } from '../ai/types.js';
import type { Models } from '../db/models/index.js';

export const TRANSCRIPT_LIMIT = 40;

export const loadTranscript = async (models: Models, conversationId: string): Promise<TranscriptMessage[]> => {
  const rows = await models.Message.find({ conversationId, status: { $in: ['received', 'sent', 'pending'] } })
    .sort({ at: -1 })
    .limit(TRANSCRIPT_LIMIT)
    .lean();
  return rows.reverse().map((m) => ({
    direction: m.direction as TranscriptMessage['direction'],
    author: m.author as TranscriptMessage['author'],
    text: m.text ?? '',
    at: m.at.toISOString(),
  }));
};
