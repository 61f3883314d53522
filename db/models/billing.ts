/**
 * Billing records: the state each business's BillingWorkflow keeps (read on every reply, so one small document
 * by _id), the monthly usage counters with one mark per conversation counted, and the Stripe events processed.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const BILLING_STATUSES = ['trialing', 'active', 'past_due', 'paused', 'canceled'] as const;

export const billingAccountSchema = new Schema(
  {
    /** The business id. */
    _id: { type: String, required: true },
    plan: { type: String, required: true },
    status: { type: String, enum: BILLING_STATUSES, required: true },
    reason: String,
    trialEndsAt: Date,
    // Written once by the API (idempotency key customer:<businessId>); never by the workflow.
    stripeCustomerId: String,
    stripeSubscriptionId: String,
    currentPeriodEnd: Date,
    cancelAtPeriodEnd: Boolean,
    pastDueSince: Date,
    graceEndsAt: Date,
    serviceUntil: Date,
  },
  { timestamps: true, versionKey: false },
);
billingAccountSchema.index({ stripeCustomerId: 1 });

/** `<businessId>:<YYYY-MM>`: conversations counted this month. */
export const billingUsageSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    period: { type: String, required: true },
    conversations: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
billingUsageSchema.index({ businessId: 1 });

/** `<businessId>:<YYYY-MM>:<conversationId>`: this thread is counted this month (and may be answered). */
export const billingUsageMarkSchema = new Schema(
  { _id: { type: String, required: true }, businessId: { type: String, required: true }, period: String, at: Date },
  { versionKey: false },
);
billingUsageMarkSchema.index({ businessId: 1 });

/** One row per Stripe event id handed to a workflow: a redelivered event finds its row and does nothing. */
export const stripeEventSchema = new Schema(
  { _id: { type: String, required: true }, type: String, businessId: String, receivedAt: Date },
  { versionKey: false },
);
// The retention sweep deletes them by age (STRIPE_EVENT_RETENTION_DAYS).
stripeEventSchema.index({ receivedAt: 1 });

export type BillingAccountDoc = InferSchemaType<typeof billingAccountSchema>;
export const billingAccountModel = (c: Connection) => c.model('BillingAccount', billingAccountSchema, 'billing_accounts');
export const billingUsageModel = (c: Connection) => c.model('BillingUsage', billingUsageSchema, 'billing_usage');
export const billingUsageMarkModel = (c: Connection) => c.model('BillingUsageMark', billingUsageMarkSchema, 'billing_usage_marks');
export const stripeEventModel = (c: Connection) => c.model('StripeEvent', stripeEventSchema, 'stripe_events');
