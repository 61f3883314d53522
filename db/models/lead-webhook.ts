/** A business's CRM endpoints for lead events, and the log of every delivery attempt made to them. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const LEAD_WEBHOOK_EVENT_TYPES = ['lead.created', 'lead.updated', 'lead.status_changed'] as const;
export type LeadWebhookEventType = (typeof LEAD_WEBHOOK_EVENT_TYPES)[number];

export const leadWebhookSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    url: { type: String, required: true },
    description: String,
    events: { type: [{ type: String, enum: LEAD_WEBHOOK_EVENT_TYPES }], default: () => [...LEAD_WEBHOOK_EVENT_TYPES] },
    /** The signing secret, encrypted with the key ring (context `lead-webhook:{_id}`); shown to the owner once. */
    secretSealed: { type: String, required: true },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
    disabledAt: Date,
    disabledReason: String,
    createdBy: String,
  },
  { timestamps: true, versionKey: false },
);
leadWebhookSchema.index({ businessId: 1, status: 1 });

export const webhookDeliverySchema = new Schema(
  {
    /** Derived from the delivery workflow id and attempt number: an activity retry rewrites its own row. */
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    workflowId: { type: String, required: true },
    attempt: { type: Number, required: true },
    /** attempt: one POST; gave_up: the delivery stopped retrying (counts towards disabling the endpoint). */
    kind: { type: String, enum: ['attempt', 'gave_up'], default: 'attempt' },
    isDelivered: { type: Boolean, default: false },
    statusCode: Number,
    durationMs: Number,
    error: String,
    replayOf: String,
    at: { type: Date, required: true },
  },
  { timestamps: false, versionKey: false },
);
webhookDeliverySchema.index({ endpointId: 1, at: -1 });

export type LeadWebhookDoc = InferSchemaType<typeof leadWebhookSchema>;
export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;
export const leadWebhookModel = (c: Connection) => c.model('LeadWebhook', leadWebhookSchema, 'lead_webhooks');
export const webhookDeliveryModel = (c: Connection) => c.model('WebhookDelivery', webhookDeliverySchema, 'webhook_deliveries');
