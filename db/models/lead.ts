/** One lead per person per business, enriched as details arrive; lives while the account is active. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'booked', 'won', 'lost'] as const;
export const URGENCIES = ['low', 'normal', 'high', 'emergency'] as const;

export const leadSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    /** `channel:contactId` of every thread this person wrote from. */
    contactKeys: { type: [String], default: [] },
    conversationIds: { type: [String], default: [] },
    channel: { type: String, required: true },
    name: String,
    phone: String,
    email: String,
    enquiry: String,
    enquiryType: { type: String, default: 'general' },
    urgency: { type: String, enum: URGENCIES, default: 'normal' },
    specialist: { type: String, default: 'none' },
    needsHuman: { type: Boolean, default: false },
    status: { type: String, enum: LEAD_STATUSES, default: 'new' },
    notes: String,
    assignee: String,
    mergedInto: String,
    lastMessageAt: Date,
    /** Key of the last lead_updated event the assistant raised: a retried activity finds it again if unnotified. */
    lastUpdateEventKey: String,
  },
  { timestamps: true, versionKey: false },
);
leadSchema.index({ businessId: 1, createdAt: -1 });
leadSchema.index({ businessId: 1, status: 1 });
leadSchema.index({ contactKeys: 1 });

export type LeadDoc = InferSchemaType<typeof leadSchema>;
export const leadModel = (c: Connection) => c.model('Lead', leadSchema, 'leads');
