/**
 * What the privacy, retention and account-closure activities need beyond the basics, built once from
 * config: where reminders go, the app token for Graph id matching, and the optional Resend and Stripe clients.
 */
import Stripe from 'stripe';
import type { Config } from '../../config/schema.js';
import { emailSenderFrom, type EmailSender } from '../../integrations/email.js';

export type PrivacyDeps = {
  complianceEmail: string;
  publicUrl: string;
  /** `APPID|SECRET`, for `GET /{asid}/ids_for_pages` and revoking a user's grants; absent without a Meta app. */
  metaAppToken?: string;
  /** Absent when RESEND_API_KEY is unset: reminders are then recorded and logged, not mailed. */
  email?: EmailSender;
  /** Absent when STRIPE_SECRET_KEY is unset: account closure skips billing. */
  stripe?: Stripe;
};

const stripeFrom = (key: string, apiUrl: string) => {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(key, {
    host: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    maxNetworkRetries: 2,
  });
};

export const buildPrivacyDeps = (config: Config): PrivacyDeps => ({
  complianceEmail: config.COMPLIANCE_EMAIL,
  publicUrl: config.PUBLIC_URL.replace(/\/+$/, ''),
  metaAppToken: config.META_APP_ID && config.META_APP_SECRET ? `${config.META_APP_ID}|${config.META_APP_SECRET}` : undefined,
  email: emailSenderFrom(config),
  stripe: config.STRIPE_SECRET_KEY ? stripeFrom(config.STRIPE_SECRET_KEY, config.STRIPE_API_URL) : undefined,
});
