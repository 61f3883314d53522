/**
 * B2B outreach (issue 18): prospects, campaigns, one enrollment per prospect per campaign (its OutreachWorkflow's
 * record), one row per email sent, the suppression list (keyed hashes only, kept for ever), the rate-cap slot
 * counters and the CSV import reports. Staff-only data; nothing here belongs to a business tenant.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'stopped'] as const;
export const ENROLLMENT_STATUSES = ['active', 'completed', 'stopped'] as const;
export const STOP_REASONS = [
  'opted-out',
  'replied',
  'bounced',
  'complained',
  'suppressed',
  'campaign-stopped',
  'rejected',
  'gone',
] as const;
export const SUPPRESSION_KINDS = ['email', 'domain'] as const;
export const SUPPRESSION_REASONS = ['opt-out', 'bounce', 'complaint', 'staff', 'objection'] as const;

export const outreachProspectSchema = new Schema(
  {
    _id: { type: String, required: true },
    company: { type: String, required: true },
    contactName: String,
    /** Lowercased business address; `emailHash` (current key) finds it by address without a plaintext index scan. */
    email: { type: String, required: true },
    emailHash: { type: String, required: true },
    website: String,
    source: { type: String, required: true },
    /** Why we may write to them (legitimate interest, with the note staff gave). */
    lawfulBasis: { type: String, required: true },
    /** IANA zone; emails then go out within business hours there. */
    timezone: String,
    importId: String,
    /** First open, click or reply: an engaged prospect is kept past the retention period. */
    engagedAt: Date,
    lastEmailedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
outreachProspectSchema.index({ emailHash: 1 }, { unique: true });
outreachProspectSchema.index({ createdAt: 1 });

const stepSchema = new Schema(
  {
    subject: { type: String, required: true },
    body: { type: String, required: true },
    /** Days after the previous step (the first: after enrollment). */
    delayDays: { type: Number, required: true },
  },
  { _id: false },
);

export const outreachCampaignSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, default: 'draft' },
    steps: { type: [stepSchema], default: [] },
    senderName: { type: String, required: true },
    replyTo: String,
    dailyCap: { type: Number, required: true },
    perMinute: { type: Number, required: true },
    /** Open pixel and click redirect; off unless staff turn it on (the privacy policy says so). */
    isTrackingEnabled: { type: Boolean, default: false },
    businessHours: { startHour: { type: Number, default: 9 }, endHour: { type: Number, default: 17 } },
    createdBy: String,
  },
  { timestamps: true, versionKey: false },
);

export const outreachEnrollmentSchema = new Schema(
  {
    /** The workflow id: outreach:<campaignId>:<prospectId>. */
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    prospectId: { type: String, required: true },
    status: { type: String, enum: ENROLLMENT_STATUSES, default: 'active' },
    stopReason: { type: String, enum: STOP_REASONS },
    stepsSent: { type: Number, default: 0 },
    repliedAt: Date,
    optedOutAt: Date,
    bouncedAt: Date,
    complainedAt: Date,
    endedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
outreachEnrollmentSchema.index({ campaignId: 1, status: 1 });
outreachEnrollmentSchema.index({ prospectId: 1, status: 1 });

export const outreachSendSchema = new Schema(
  {
    /** `<workflowId>:<step>`: also the provider idempotency key, so a retried send never mails twice. */
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    prospectId: { type: String, required: true },
    step: { type: Number, required: true },
    providerEmailId: String,
    sentAt: { type: Date, required: true },
    deliveredAt: Date,
    openedAt: Date,
    clickedAt: Date,
    bouncedAt: Date,
    complainedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
outreachSendSchema.index({ campaignId: 1, step: 1 });
outreachSendSchema.index({ providerEmailId: 1 });
outreachSendSchema.index({ prospectId: 1 });

export const outreachSuppressionSchema = new Schema(
  {
    /** hashFor(ring, 'outreach-suppression', `<kind>:<value>`).hex; lookups try every ring key. */
    _id: { type: String, required: true },
    keyId: { type: String, required: true },
    kind: { type: String, enum: SUPPRESSION_KINDS, required: true },
    reason: { type: String, enum: SUPPRESSION_REASONS, required: true },
    /** Staff user, campaign or privacy request that added it (ids only). */
    addedBy: String,
  },
  { timestamps: true, versionKey: false },
);

/**
 * One reserved send in a rate-cap bucket (`<campaignId>:d:<YYYY-MM-DD>` or `<campaignId>:m:<minute number>`), with
 * the id `<bucket>:<n>` for n below the cap: the unique _id is what makes a slot taken once (see send-slots.ts).
 */
export const outreachSendSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    bucket: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
outreachSendSlotSchema.index({ bucket: 1 });
outreachSendSlotSchema.index({ expiresAt: 1 });

const rejectedRowSchema = new Schema({ line: Number, email: String, reason: String }, { _id: false });

export const outreachImportSchema = new Schema(
  {
    _id: { type: String, required: true },
    importedBy: String,
    accepted: { type: Number, default: 0 },
    rejected: { type: [rejectedRowSchema], default: [] },
  },
  { timestamps: true, versionKey: false },
);
outreachImportSchema.index({ createdAt: 1 });

export type OutreachProspectDoc = InferSchemaType<typeof outreachProspectSchema>;
export type OutreachCampaignDoc = InferSchemaType<typeof outreachCampaignSchema>;
export type OutreachEnrollmentDoc = InferSchemaType<typeof outreachEnrollmentSchema>;
export type OutreachSendDoc = InferSchemaType<typeof outreachSendSchema>;

export const outreachProspectModel = (c: Connection) => c.model('OutreachProspect', outreachProspectSchema, 'outreach_prospects');
export const outreachCampaignModel = (c: Connection) => c.model('OutreachCampaign', outreachCampaignSchema, 'outreach_campaigns');
export const outreachEnrollmentModel = (c: Connection) => c.model('OutreachEnrollment', outreachEnrollmentSchema, 'outreach_enrollments');
export const outreachSendModel = (c: Connection) => c.model('OutreachSend', outreachSendSchema, 'outreach_sends');
export const outreachSuppressionModel = (c: Connection) =>
  c.model('OutreachSuppression', outreachSuppressionSchema, 'outreach_suppressions');
export const outreachSendSlotModel = (c: Connection) => c.model('OutreachSendSlot', outreachSendSlotSchema, 'outreach_send_slots');
export const outreachImportModel = (c: Connection) => c.model('OutreachImport', outreachImportSchema, 'outreach_imports');
