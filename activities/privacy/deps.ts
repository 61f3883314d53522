/**
 * What the privacy, retention and account-closure activities need beyond the basics (worker/build-deps.ts builds
 * it from config): where reminders go, the app token for Graph id matching, the email sender, and how long the
 * records that would otherwise grow for ever are kept.
 */
import type { EmailSender } from '../../integrations/email.js';

export type PrivacyDeps = {
  complianceEmail: string;
  publicUrl: string;
  /** `APPID|SECRET`, for `GET /{asid}/ids_for_pages` and revoking a user's grants; absent without a Meta app. */
  metaAppToken?: string;
  /** Absent when RESEND_API_KEY is unset: reminders are then recorded and logged, not mailed. */
  email?: EmailSender;
};

/** Days each kind of record is kept (config: AUDIT_RETENTION_DAYS and its neighbours). */
export type RecordRetention = {
  auditDays: number;
  sessionGraceDays: number;
  notificationDays: number;
  webhookDeliveryDays: number;
  /** The email send log (EMAIL_SEND_RETENTION_DAYS, default 90). */
  emailSendDays?: number;
  /** Processed Stripe event ids (STRIPE_EVENT_RETENTION_DAYS, default 30: Stripe redelivers for 3 days). */
  stripeEventDays?: number;
  /** Outreach prospects who never engaged (OUTREACH_PROSPECT_RETENTION_DAYS); unset = outreach records are not swept. */
  outreachProspectDays?: number;
};
