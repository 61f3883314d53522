/**
 * What the notification emails to a business say: lead alerts, the daily digest, the "customer waiting"
 * reminder, and the alerts about the business's own setup (a CRM webhook turned off, a WhatsApp number failing).
 */
import { renderEmail, type EmailSection, type RenderedEmail } from './layout.js';

/** A lead as the notifications show it: every value one line, already trimmed (activities/notifications/content.ts). */
export type LeadFacts = {
  leadId: string;
  name: string;
  channel: string;
  summary: string;
  urgency: string;
  specialist: string;
  phone?: string;
  email?: string;
  link: string;
};

const NOTE = 'Sent by LuxLeads. Change who gets these in Settings → Notifications.';

type KindText = { headline: string; subject: (f: LeadFacts) => string };
const KIND_TEXT: Record<string, KindText> = {
  lead_created: { headline: 'New lead', subject: (f) => `New lead: ${f.name} (${f.channel})` },
  lead_urgent: { headline: 'URGENT lead', subject: (f) => `URGENT lead: ${f.name} (${f.urgency})` },
  human_requested: { headline: 'Asked for a person', subject: (f) => `Human requested: ${f.name} wants to talk to a person` },
  specialist_review: { headline: 'Specialist review', subject: (f) => `Specialist review needed: ${f.name} (${f.specialist})` },
  deletion_requested: { headline: 'Data deletion request', subject: (f) => `Data deletion requested by ${f.name}` },
};
export const NOTIFIED_KINDS = Object.keys(KIND_TEXT);
const textFor = (kind: string) => KIND_TEXT[kind] ?? KIND_TEXT.lead_created!;
export const leadEventHeadline = (kind: string) => textFor(kind).headline;

export const leadRows = (f: LeadFacts): [string, string][] => [
  ['Name', f.name],
  ['Channel', f.channel],
  ['Urgency', f.urgency],
  ...(f.specialist !== 'none' ? [['Specialist', `${f.specialist} (the assistant gave no advice)`] as [string, string]] : []),
  ...(f.phone ? [['Phone', f.phone] as [string, string]] : []),
  ...(f.email ? [['Email', f.email] as [string, string]] : []),
  ['Enquiry', f.summary],
];

const notification = (template: string, subject: string, title: string, sections: EmailSection[]) =>
  renderEmail({ template, subject, title, sections, note: NOTE });

export const leadEventEmail = (kind: string, businessName: string, f: LeadFacts): RenderedEmail => {
  const t = textFor(kind);
  const notes: string[] = [];
  if (f.urgency === 'emergency')
    notes.push('The customer described an emergency; the assistant told them to contact the emergency services.');
  if (kind === 'human_requested') notes.push('The assistant has paused in this conversation; reply from LuxLeads or Meta Business Suite.');
  return notification(kind in KIND_TEXT ? kind : 'lead_created', t.subject(f), `${t.headline} for ${businessName}`, [
    { rows: leadRows(f), paragraphs: notes, link: { label: 'Open the lead in LuxLeads', url: f.link } },
  ]);
};

export const digestEmail = (businessName: string, localDate: string, leads: LeadFacts[], total: number): RenderedEmail =>
  notification(
    'digest',
    `${total} new lead${total === 1 ? '' : 's'} today for ${businessName} (${localDate})`,
    `Your daily LuxLeads digest, ${localDate}`,
    [
      {
        paragraphs: [
          `${total} new lead${total === 1 ? '' : 's'} arrived since the last digest. Urgent enquiries and requests for a person were emailed straight away.`,
        ],
      },
      ...leads.map((f) => ({ heading: `${f.name} (${f.channel})`, rows: leadRows(f), link: { label: 'Open in LuxLeads', url: f.link } })),
      ...(total > leads.length ? [{ paragraphs: [`…and ${total - leads.length} more in the dashboard.`] }] : []),
    ],
  );

/** `waiting`: who waits where and until when; `humanAgent`: what a person can still do after the window. */
export const windowReminderEmail = (f: LeadFacts, texts: { waiting: string; humanAgent: string }): RenderedEmail =>
  notification('window_reminder', `Reply soon: ${f.name} has been waiting on ${f.channel}`, 'A customer is waiting for a person', [
    { paragraphs: [texts.waiting, texts.humanAgent] },
    { rows: leadRows(f), link: { label: 'Reply in LuxLeads', url: f.link } },
  ]);

export const webhookDisabledEmail = (businessName: string, url: string, reason: string): RenderedEmail =>
  notification('webhook_disabled', `Your CRM webhook was turned off: ${url}`, 'A lead webhook was turned off', [
    {
      paragraphs: [
        `We stopped sending lead events for ${businessName} to ${url}: ${reason}.`,
        'Check that the endpoint is up and answers 2xx, then add it again in Settings → Integrations. The delivery log shows each attempt; failed deliveries can be replayed.',
      ],
    },
  ]);

/** `why`: Meta's refusal as describeNumberError words it. */
export const numberFailingEmail = (businessName: string, number: string, why: string): RenderedEmail =>
  notification('number_failing', `WhatsApp alerts are not reaching ${number}`, `We could not send WhatsApp lead alerts to ${number}`, [
    {
      paragraphs: [
        `Meta refused the message (error ${why}).`,
        `We have stopped sending WhatsApp alerts to this number; lead alerts for ${businessName} keep arriving by email.`,
        'Check the number (with its + country code) and that it has WhatsApp, then turn it back on in Settings → Notifications.',
      ],
    },
  ]);

const ALERT_SUBJECTS: Record<string, string> = {
  channel_needs_reconnect: 'Action needed: reconnect your channel',
  delivery_unknown: 'Check a reply: Meta did not confirm it',
};

export const businessAlertEmail = (businessName: string, alert: { kind: string; message: string }): RenderedEmail => {
  const headline = ALERT_SUBJECTS[alert.kind] ?? 'LuxLeads needs your attention';
  return notification('business_alert', `${headline} (${businessName})`, headline, [{ paragraphs: [alert.message] }]);
};
