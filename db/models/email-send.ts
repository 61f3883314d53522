/**
 * One row per email LuxLeads sends (per idempotency key), written by the one send path (domain/emails/send-log.ts):
 * which template, for which business, to whom (keyed hashes only, never the address), Resend's id, and how the
 * attempts went. Deleted after EMAIL_SEND_RETENTION_DAYS by the retention sweep.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** sent (Resend accepted it, now or on an earlier attempt) | retrying (a transient failure: the caller retries) | failed (refused). */
export const EMAIL_SEND_STATUSES = ['sent', 'retrying', 'failed'] as const;

export const emailSendSchema = new Schema(
  {
    /** SHA-256 of the idempotency key: one row per email, however many attempts. */
    _id: { type: String, required: true },
    /** The key Resend got, with any email address in it replaced by its keyed hash. */
    idempotencyKey: { type: String, required: true },
    template: { type: String, required: true },
    businessId: String,
    /** `keyId:hex` keyed hashes (purpose email-recipient) of the recipients. */
    recipientHashes: { type: [String], default: [] },
    status: { type: String, enum: EMAIL_SEND_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    providerMessageId: String,
    /** EmailError kind (retryable, rejected, already_sent) or `error` for anything else; absent once sent. */
    errorKind: String,
    errorStatus: Number,
    lastAttemptAt: Date,
    sentAt: Date,
  },
  { timestamps: true, versionKey: false },
);
emailSendSchema.index({ createdAt: 1 });
emailSendSchema.index({ businessId: 1, createdAt: -1 });

export type EmailSendDoc = InferSchemaType<typeof emailSendSchema>;
export type EmailSendStatus = (typeof EMAIL_SEND_STATUSES)[number];
export const emailSendModel = (c: Connection) => c.model('EmailSend', emailSendSchema, 'email_sends');
