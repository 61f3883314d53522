/** What the billing emails say; every one links to the billing page with the portal button. */
import { renderEmail, type RenderedEmail } from './layout.js';

export const BILLING_EMAIL_KINDS = [
  'trial_ending',
  'trial_ended',
  'payment_failed',
  'payment_reminder',
  'paused',
  'resumed',
  'canceled',
  'usage_80',
  'usage_100',
] as const;
export type BillingEmailKind = (typeof BILLING_EMAIL_KINDS)[number];

export type BillingEmailFacts = {
  businessName: string;
  planName: string;
  billingUrl: string;
  /** The date the email is about (trial end, grace end, service end), ISO. */
  date?: string;
  used?: number;
  limit?: number;
};

const day = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : 'soon';

type Text = { subject: string; title: string; paragraphs: string[]; link: string };

const TEXTS: Record<BillingEmailKind, (f: BillingEmailFacts) => Text> = {
  trial_ending: (f) => ({
    subject: `Your LuxLeads trial ends on ${day(f.date)}`,
    title: 'Your free trial ends soon',
    paragraphs: [
      `The free trial of ${f.businessName} ends on ${day(f.date)}. Choose a plan before then and your assistant keeps answering without a break.`,
    ],
    link: 'Choose a plan',
  }),
  trial_ended: (f) => ({
    subject: 'Your LuxLeads trial has ended: the assistant is paused',
    title: 'Your free trial has ended',
    paragraphs: [
      `The assistant of ${f.businessName} no longer answers customers. Messages are still recorded and you still get your leads.`,
      'Choose a plan and it starts answering again at once.',
    ],
    link: 'Choose a plan',
  }),
  payment_failed: (f) => ({
    subject: 'Payment failed: update your card to keep LuxLeads running',
    title: 'We could not take your payment',
    paragraphs: [
      `The payment for the ${f.planName} plan of ${f.businessName} failed. The assistant keeps answering until ${day(f.date)}; after that it pauses until the payment goes through.`,
    ],
    link: 'Update your payment method',
  }),
  payment_reminder: (f) => ({
    subject: `Reminder: update your card before ${day(f.date)}`,
    title: 'Your payment is still outstanding',
    paragraphs: [`Update your payment method before ${day(f.date)}, or the assistant of ${f.businessName} pauses.`],
    link: 'Update your payment method',
  }),
  paused: (f) => ({
    subject: 'LuxLeads is paused: the assistant has stopped answering',
    title: 'Your subscription is paused',
    paragraphs: [
      `The assistant of ${f.businessName} no longer answers customers because the subscription is not paid. Messages are still recorded and you still get your leads.`,
      'Pay the outstanding invoice and it starts answering again at once.',
    ],
    link: 'Pay now',
  }),
  resumed: (f) => ({
    subject: 'LuxLeads is running again',
    title: 'Thank you: your subscription is active again',
    paragraphs: [`The assistant of ${f.businessName} answers customers again on the ${f.planName} plan.`],
    link: 'See your billing',
  }),
  canceled: (f) => ({
    subject: 'Your LuxLeads subscription is canceled',
    title: 'Your subscription is canceled',
    paragraphs: [
      `The assistant of ${f.businessName} answers customers until ${day(f.date)}, then stops. You can subscribe again at any time.`,
    ],
    link: 'Subscribe again',
  }),
  usage_80: (f) => ({
    subject: `You have used 80% of your LuxLeads conversations this month`,
    title: '80% of this month’s conversations used',
    paragraphs: [
      `${f.businessName} has had ${f.used ?? '?'} of the ${f.limit ?? '?'} conversations the ${f.planName} plan includes this month.`,
      'When all are used, new conversations get a short message that the team will reply, instead of the assistant. Upgrade to keep the assistant answering.',
    ],
    link: 'Upgrade your plan',
  }),
  usage_100: (f) => ({
    subject: `You have used all your LuxLeads conversations this month`,
    title: 'All of this month’s conversations used',
    paragraphs: [
      `${f.businessName} has had all ${f.limit ?? '?'} conversations the ${f.planName} plan includes this month.`,
      'Conversations already under way carry on. New ones now get a short message that the team will reply, and you are notified of each lead: reply to them yourself, or upgrade to let the assistant answer.',
    ],
    link: 'Upgrade your plan',
  }),
};

export const billingEmail = (kind: BillingEmailKind, facts: BillingEmailFacts): RenderedEmail => {
  const t = TEXTS[kind](facts);
  return renderEmail({
    template: `billing_${kind}`,
    subject: t.subject,
    title: t.title,
    sections: [{ paragraphs: t.paragraphs, link: { label: t.link, url: facts.billingUrl } }],
    note: `Sent by LuxLeads to the owners of ${facts.businessName}.`,
  });
};
