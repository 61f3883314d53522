/** One message in either direction; its id derives from the provider id so redeliveries cannot duplicate it. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The "attempted" marker of the one chunk being sent (chunks below `sentChunks` are sent, those above untouched).
 * Written before the Send API call and removed with its outcome; a marker that outlives its attempt means nobody
 * knows whether that chunk went out. `token` names the attempt, so a stale attempt cannot record or send.
 */
const chunkAttemptSchema = new Schema(
  { chunk: { type: Number, required: true }, token: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

export const messageSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    businessId: { type: String, required: true },
    channel: { type: String, required: true },
    direction: { type: String, enum: ['inbound', 'outbound'], required: true },
    author: { type: String, enum: ['visitor', 'assistant', 'human'], required: true },
    text: { type: String, default: '' },
    /** Meta mid, widget client message id, or our own id for replies. */
    externalId: String,
    clientMessageId: String,
    /** `delivery_unknown`: a chunk may or may not have reached the customer; never resent, left to a person. */
    status: { type: String, enum: ['received', 'pending', 'sent', 'failed', 'draft', 'skipped', 'delivery_unknown'], default: 'received' },
    statusReason: String,
    attachments: { type: [String], default: [] },
    quickReplies: { type: [{ title: String, payload: String, _id: false }], default: [] },
    /** How many chunks of a long reply already went out, so a retried send resumes instead of repeating. */
    sentChunks: { type: Number, default: 0 },
    attempt: { type: chunkAttemptSchema, default: undefined },
    providerMessageIds: { type: [String], default: [] },
    sentAt: Date,
    at: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);
messageSchema.index({ conversationId: 1, at: 1 });
messageSchema.index({ businessId: 1, at: -1 });

export type MessageDoc = InferSchemaType<typeof messageSchema>;
export const messageModel = (c: Connection) => c.model('Message', messageSchema, 'messages');
