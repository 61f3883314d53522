/** What the widget may see of a conversation: the visitor's messages and replies that actually went out. */
import type { Models } from '../../db/models/index.js';
import type { MessageRow } from '../../domain/conversation-records.js';

export type WidgetMessage = {
  id: string;
  clientMessageId?: string;
  direction: 'inbound' | 'outbound';
  author: 'visitor' | 'assistant' | 'human';
  text: string;
  createdAt: string;
};

const isVisible = (r: MessageRow) => r.direction === 'inbound' || r.status === 'sent';
const toWidget = (r: MessageRow): WidgetMessage => ({
  id: r._id,
  ...(r.direction === 'inbound' && r.externalId ? { clientMessageId: r.externalId } : {}),
  direction: r.direction,
  author: r.author,
  text: r.text ?? '',
  createdAt: r.at.toISOString(),
});

/** Messages changed after the cursor (ms of updatedAt), and the cursor to use next time. */
export const messagesAfter = async (models: Models, conversationId: string, cursor: number) => {
  const rows: MessageRow[] = await models.Message.find({ conversationId, updatedAt: { $gt: new Date(cursor) } })
    .sort({ updatedAt: 1 })
    .limit(200)
    .lean();
  const next = rows.reduce((max, r) => Math.max(max, r.updatedAt?.getTime() ?? 0), cursor);
  const visible = rows
    .filter(isVisible)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map(toWidget);
  return { messages: visible, cursor: next };
};
