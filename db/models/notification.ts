/**
 * One row per message we send (or decide not to send) to a business: the idempotency guard that makes
 * "exactly one notification per event" hold across activity retries and worker restarts.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const NOTIFICATION_CHANNELS = ['whatsapp', 'email'] as const;

/**
 * sending → sent | failed | retry (a known, transient failure: the next attempt sends again)
 * | uncertain (a WhatsApp send whose outcome we never learned: not resent, see activities/notification-records.ts)
 * | skipped (integration disabled, no recipients…) | deferred (waits for the daily digest).
 */
export const NOTIFICATION_STATUSES = ['sending', 'sent', 'retry', 'uncertain', 'failed', 'skipped', 'deferred'] as const;

export const notificationSchema = new Schema(
  {
    /** `{key}:{channel}:{target}`, where key is the lead event id or another idempotency key. */
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    /** Lead event kind, or window_reminder / number_failing / digest / webhook_disabled / business_alert. */
    kind: { type: String, required: true },
    channel: { type: String, enum: NOTIFICATION_CHANNELS, required: true },
    /** The business's own WhatsApp number or email address (never a customer's). */
    target: { type: String, required: true },
    status: { type: String, enum: NOTIFICATION_STATUSES, required: true },
    reason: String,
    errorCode: Number,
    providerId: String,
    attempts: { type: Number, default: 0 },
    leadId: String,
    eventId: String,
    conversationId: String,
    /** Set on deferred rows when a digest picks them up: `digest:{businessId}:{localDate}`. */
    digestKey: String,
    sentAt: Date,
  },
  { timestamps: true, versionKey: false },
);
notificationSchema.index({ businessId: 1, createdAt: -1 });
notificationSchema.index({ businessId: 1, status: 1 });
notificationSchema.index({ leadId: 1 });

export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const notificationModel = (c: Connection) => c.model('Notification', notificationSchema, 'notifications');
