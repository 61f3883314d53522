/**
 * Read model of one privacy request (deletion, access, correction, restriction, objection), kept in step
 * by the request workflow's activities so the public status page never has to ask Temporal.
 * Holds dates, counts and a subject hash only; the one piece of personal data, an access export, is sealed.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const PRIVACY_REQUEST_KINDS = ['deletion', 'access', 'correction', 'restriction', 'objection'] as const;
export const PRIVACY_REQUEST_STATUSES = ['received', 'in_progress', 'completed', 'overdue'] as const;
export const PRIVACY_REQUEST_SOURCES = ['meta_callback', 'chat', 'form', 'business', 'compliance'] as const;

const stepSchema = new Schema(
  { name: { type: String, required: true }, at: { type: Date, required: true }, counts: { type: Schema.Types.Mixed, default: {} } },
  { _id: false },
);

export const privacyRequestSchema = new Schema(
  {
    /** The request id, which is also its public confirmation code (alphanumeric). */
    _id: { type: String, required: true },
    kind: { type: String, enum: PRIVACY_REQUEST_KINDS, required: true },
    source: { type: String, enum: PRIVACY_REQUEST_SOURCES, required: true },
    status: { type: String, enum: PRIVACY_REQUEST_STATUSES, default: 'received' },
    /** Set when the request only concerns one business's records (owner requests, chat, form). */
    businessId: String,
    /** keyedHash of the subject's first identifier: correlates entries without saying who it is. */
    subjectHash: { type: String, required: true },
    workflowId: { type: String, required: true },
    requestedByType: { type: String, enum: ['user', 'platform', 'meta', 'subject'], required: true },
    requestedById: String,
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    reminderSentAt: Date,
    overdueAt: Date,
    completedAt: Date,
    steps: { type: [stepSchema], default: [] },
    /** Access requests: the JSON export, encrypted with context `privacy-export:<id>`; never selected by default. */
    exportSealed: { type: String, select: false },
    /** The export's one-time download link mailed to the person: a hash of its token, its expiry and when it was used. */
    exportLinkHash: { type: String, select: false },
    exportLinkExpiresAt: Date,
    exportLinkUsedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
privacyRequestSchema.index({ status: 1, dueAt: 1 });
privacyRequestSchema.index({ businessId: 1, receivedAt: -1 });

export type PrivacyRequestDoc = InferSchemaType<typeof privacyRequestSchema>;
export const privacyRequestModel = (c: Connection) => c.model('PrivacyRequest', privacyRequestSchema, 'privacy_requests');
