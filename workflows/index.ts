// The workflowsPath the worker bundles: every workflow type, exported by name.
export { conversationWorkflow } from './conversation.js';
export { tokenHealthWorkflow } from './token-health.js';
export { dataDeletionWorkflow } from './data-deletion.js';
export { rightsRequestWorkflow } from './rights-request.js';
export { retentionSweepWorkflow } from './retention-sweep.js';
export { notificationRetrySweepWorkflow } from './notification-retry-sweep.js';
export { accountClosureWorkflow } from './account-closure.js';
export { notificationDigestWorkflow } from './notification-digest.js';
export { leadWebhookDeliveryWorkflow } from './lead-webhook-delivery.js';
export { billingWorkflow } from './billing.js';
export { outreachWorkflow } from './outreach.js';
export { sendEmailWorkflow } from './send-email.js';
