/**
 * Every email LuxLeads sends, rendered from one layout (layout.ts) to subject, plain text and HTML. Callers pick
 * a template and hand the result to the one send path (integrations/email.ts), which adds the footer.
 */
export { renderEmail, escapeHtml, type RenderedEmail, type EmailSection } from './layout.js';
export { accountEmail, accountEmailIdempotencyKey, type AccountEmail, type AccountEmailKind } from './account.js';
export { billingEmail, BILLING_EMAIL_KINDS, type BillingEmailKind, type BillingEmailFacts } from './billing.js';
export {
  leadEventEmail,
  leadEventHeadline,
  leadRows,
  NOTIFIED_KINDS,
  digestEmail,
  windowReminderEmail,
  webhookDisabledEmail,
  numberFailingEmail,
  businessAlertEmail,
  type LeadFacts,
} from './notifications.js';
export { deletionConfirmationEmail, privacyReminderEmail, type PrivacyReminderFacts } from './privacy.js';
export {
  privacyRequestVerificationEmail,
  privacyRequestReceivedEmail,
  privacyRequestCompletedEmail,
  privacyRequestOverdueEmail,
  REQUEST_KIND_TEXT,
} from './privacy-requests.js';
