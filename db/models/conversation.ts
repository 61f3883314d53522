/** Read model of one conversation, kept in step by the ConversationWorkflow's activities. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const CONVERSATION_CHANNELS = ['messenger', 'instagram', 'web'] as const;
export const CONVERSATION_MODES = ['auto', 'paused', 'off', 'restricted'] as const;

export const conversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    channel: { type: String, enum: CONVERSATION_CHANNELS, required: true },
    /** Which Page / IG account / widget key the conversation arrived through. */
    channelId: { type: String, required: true },
    /** PSID, IGSID or widget session id. */
    contactId: { type: String, required: true },
    workflowId: { type: String, required: true },
    mode: { type: String, enum: CONVERSATION_MODES, default: 'auto' },
    pausedUntil: Date,
    needsReview: { type: Boolean, default: false },
    reviewReason: String,
    leadId: String,
    typing: { type: Boolean, default: false },
    messageCount: { type: Number, default: 0 },
    lastMessageAt: Date,
    lastInboundAt: Date,
    windowExpiresAt: Date,
    /**
     * The last messages, as the assistant reads them: one `_id` read per reply instead of a query over all
     * messages (FerretDB on SQLite serves only `_id` from an index). Written only by this thread's activities.
     */
    recent: { type: [{ _id: false, id: String, direction: String, author: String, text: String, at: Date }], default: [] },
  },
  { timestamps: true, versionKey: false },
);
conversationSchema.index({ businessId: 1, lastMessageAt: -1 });
conversationSchema.index({ contactId: 1 });

export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export const conversationModel = (c: Connection) => c.model('Conversation', conversationSchema, 'conversations');
