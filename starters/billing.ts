/** Client-side starts and signals of a business's BillingWorkflow, for the API (billing routes, the Stripe webhook). */
import type { StripeEventNotice } from '../domain/billing.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';
import { TenantIdAttr } from '../temporal/search-attributes.js';
import { billingWorkflow, billingWorkflowId, stripeEventSignal, type BillingInput } from '../workflows/billing.js';

const startOptions = (t: TemporalTarget, businessId: string) => ({
  workflowId: billingWorkflowId(businessId),
  taskQueue: t.taskQueue,
  args: [{ businessId }] as [BillingInput],
  typedSearchAttributes: [{ key: TenantIdAttr, value: businessId }],
});

/** Starts the business's BillingWorkflow unless it runs (a second call joins it). */
export const ensureBillingWorkflow = (t: TemporalTarget, businessId: string) =>
  withCallDeadline(t, () =>
    t.client.workflow.start(billingWorkflow, { ...startOptions(t, businessId), workflowIdConflictPolicy: 'USE_EXISTING' }),
  );

/** Hands a Stripe event to the business's BillingWorkflow, starting it if needed: durable once this resolves. */
export const signalStripeEvent = (t: TemporalTarget, businessId: string, notice: StripeEventNotice) =>
  withCallDeadline(t, () =>
    t.client.workflow.signalWithStart(billingWorkflow, { ...startOptions(t, businessId), signal: stripeEventSignal, signalArgs: [notice] }),
  );
