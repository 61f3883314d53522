/** What notifications say: WhatsApp template parameters and email bodies (HTML and plain text), from lead facts. */

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
  templateParams(businessName, f, textFor(kind).headline);

export type EmailBody = { subject: string; html: string; text: string };
type Section = { heading?: string; rows?: [string, string][]; paragraphs?: string[]; link?: { label: string; url: string } };

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** One small layout for every email: the same content as HTML and as plain text. */
export const renderEmail = (subject: string, title: string, sections: Section[]): EmailBody => {
  const text: string[] = [title, ''];
  const html: string[] = [`<div style="font-family:system-ui,sans-serif;max-width:560px"><h2>${esc(title)}</h2>`];
  for (const s of sections) {
    if (s.heading) {
      text.push(s.heading);
      html.push(`<h3>${esc(s.heading)}</h3>`);
    }
    if (s.rows?.length) {
      for (const [k, v] of s.rows) text.push(`${k}: ${v}`);
      html.push(
        `<table>${s.rows.map(([k, v]) => `<tr><th align="left" style="padding-right:12px">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`,
      );
    }
    for (const p of s.paragraphs ?? []) {
      text.push(p);
      html.push(`<p>${esc(p)}</p>`);
    }
    if (s.link) {
      text.push(`${s.link.label}: ${s.link.url}`);
      html.push(`<p><a href="${esc(s.link.url)}">${esc(s.link.label)}</a></p>`);
    }
    text.push('');
  }
  html.push('<p style="color:#666;font-size:12px">Sent by LuxLeads. Change who gets these in Settings → Notifications.</p></div>');
  return { subject, text: text.join('\n').trimEnd() + '\n', html: html.join('\n') };
};

export const leadRows = (f: LeadFacts): [string, string][] => [
  ['Name', f.name],
  ['Channel', f.channel],
  ['Urgency', f.urgency],
  ...(f.specialist !== 'none' ? [['Specialist', `${f.specialist} (the assistant gave no advice)`] as [string, string]] : []),
  ...(f.phone ? [['Phone', f.phone] as [string, string]] : []),
  ...(f.email ? [['Email', f.email] as [string, string]] : []),
  ['Enquiry', f.summary],
];

export const leadEventEmail = (kind: string, businessName: string, f: LeadFacts): EmailBody => {
  const t = textFor(kind);
  const notes: string[] = [];
  if (f.urgency === 'emergency')
    notes.push('The customer described an emergency; the assistant told them to contact the emergency services.');
  if (kind === 'human_requested') notes.push('The assistant has paused in this conversation; reply from LuxLeads or Meta Business Suite.');
  return renderEmail(t.subject(f), `${t.headline} for ${businessName}`, [
    { rows: leadRows(f), paragraphs: notes, link: { label: 'Open the lead in LuxLeads', url: f.link } },
  ]);
};
