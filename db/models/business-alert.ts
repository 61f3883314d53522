/** Things a business must be told about that are not lead events (a channel needing reconnection…); notifications read these. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const BUSINESS_ALERT_KINDS = ['channel_needs_reconnect', 'processing_restricted', 'delivery_unknown'] as const;

export const businessAlertSchema = new Schema(
  {
    /** Idempotency key: the same fact (one channel losing one connection) is alerted once. */
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    kind: { type: String, enum: BUSINESS_ALERT_KINDS, required: true },
    /** Plain words for the owner; never a token or a customer's data. */
    message: { type: String, required: true },
    channelId: String,
    notifiedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
businessAlertSchema.index({ businessId: 1, createdAt: -1 });
businessAlertSchema.index({ notifiedAt: 1 });

export type BusinessAlertDoc = InferSchemaType<typeof businessAlertSchema>;
export const businessAlertModel = (c: Connection) => c.model('BusinessAlert', businessAlertSchema, 'business_alerts');
