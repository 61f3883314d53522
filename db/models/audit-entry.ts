/** Append-only audit trail: who did what to which business or request. Never personal data in clear. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const auditEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actorType: { type: String, enum: ['user', 'platform', 'api_key', 'system', 'meta'], required: true },
    actorId: String,
    actorRole: String,
    businessId: String,
    action: { type: String, required: true },
    /** What was acted on: a lead id, a request id, a subject hash; never a name, email or phone. */
    target: String,
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false },
);
auditEntrySchema.index({ businessId: 1, at: -1 });
auditEntrySchema.index({ target: 1, at: 1 });

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>;
export const auditEntryModel = (c: Connection) => c.model('AuditEntry', auditEntrySchema, 'audit_entries');
