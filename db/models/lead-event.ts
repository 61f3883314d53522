/** Lead events (new lead, became urgent, handover…) keyed by an idempotency key: recorded exactly once. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const LEAD_EVENT_KINDS = [
  'lead_created',
  'lead_urgent',
  'human_requested',
  'specialist_review',
  'deletion_requested',
  // Dashboard edits, for CRM webhooks: the event names the lead; consumers re-read its current state.
  'lead_updated',
  'lead_status_changed',
  'lead_merged',
] as const;

export const leadEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    leadId: { type: String, required: true },
    conversationId: String,
    kind: { type: String, enum: LEAD_EVENT_KINDS, required: true },
    urgency: String,
    notifiedAt: Date,
    /** The owner alert waits for the lead's first phone number or email (website visitors who left none are not alerted). */
    awaitingContactAt: Date,
  },
  { timestamps: true, versionKey: false },
);
leadEventSchema.index({ businessId: 1, createdAt: -1 });
// pendingLeadEventIds() runs after every reply: without this index MongoDB scans every lead event ever recorded.
leadEventSchema.index({ leadId: 1, createdAt: 1 });

export type LeadEventDoc = InferSchemaType<typeof leadEventSchema>;
export const leadEventModel = (c: Connection) => c.model('LeadEvent', leadEventSchema, 'lead_events');
