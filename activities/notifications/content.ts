/**
 * What notifications say on WhatsApp (template parameters), and the lead facts both WhatsApp and the emails
 * (domain/emails/notifications.ts) show.
 */
import { leadEventHeadline, type LeadFacts } from '../../domain/emails/index.js';

export type { LeadFacts } from '../../domain/emails/index.js';

const CHANNEL_LABELS: Record<string, string> = { messenger: 'Messenger', instagram: 'Instagram', web: 'Website chat' };
export const channelLabel = (channel: string) => CHANNEL_LABELS[channel] ?? channel;

export const SUMMARY_MAX = 200;

/**
 * WhatsApp rejects template parameters that are empty or contain newlines, tabs or more than four spaces in
 * a row (error 100 / 132000 family); every parameter goes through this.
 */
export const oneLine = (value: string | null | undefined, max = SUMMARY_MAX): string => {
  const flat = (value ?? '')
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const chars = Array.from(flat);
  const cut =
    chars.length > max
      ? `${chars
          .slice(0, max - 1)
          .join('')
          .trimEnd()}…`
      : flat;
  return cut || '-';
};

export type LeadLike = {
  _id: string;
  name?: string | null;
  channel: string;
  phone?: string | null;
  email?: string | null;
  enquiry?: string | null;
  enquiryType?: string | null;
  urgency?: string | null;
  specialist?: string | null;
};

export const leadFactsOf = (lead: LeadLike, link: string, urgency?: string | null): LeadFacts => ({
  leadId: lead._id,
  name: oneLine(lead.name, 80) === '-' ? 'New customer' : oneLine(lead.name, 80),
  channel: channelLabel(lead.channel),
  summary: oneLine(lead.enquiry ?? lead.enquiryType?.replace(/_/g, ' ') ?? 'No details yet'),
  urgency: urgency ?? lead.urgency ?? 'normal',
  specialist: lead.specialist ?? 'none',
  ...(lead.phone ? { phone: lead.phone } : {}),
  ...(lead.email ? { email: lead.email } : {}),
  link,
});

/** Body variables of the approved template, in order: {{1}} business … {{6}} dashboard link (docs/whatsapp-template.md). */
export const templateParams = (businessName: string, f: LeadFacts, headline: string): string[] => [
  oneLine(businessName, 60),
  oneLine(f.name, 60),
  oneLine(f.channel, 30),
  oneLine(`${headline}: ${f.summary}`),
  oneLine(f.urgency, 20),
  oneLine(f.link, 500),
];

export const leadEventTemplateParams = (kind: string, businessName: string, f: LeadFacts) =>
  templateParams(businessName, f, leadEventHeadline(kind));
