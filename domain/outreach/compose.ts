/**
 * One outreach email, as the provider gets it: the step's text with its merge fields filled, then who is writing
 * (sender, company, postal address), why, and a visible opt-out link; the RFC 8058 headers that let a mail client
 * unsubscribe in one click; and, only when the campaign enabled tracking, an open pixel and click redirects.
 * The company footer with the privacy policy is added by the email module, as for every email.
 */
import type { CompanyIdentity } from '../../config/company.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { signLink } from './link-tokens.js';
import { renderTemplate } from './template.js';

export type OutreachProspectFacts = { email: string; company: string; contactName?: string | null; website?: string | null };
export type OutreachCampaignFacts = { senderName: string; isTrackingEnabled: boolean };
export type OutreachStep = { subject: string; body: string };

export type ComposedOutreachEmail = {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  idempotencyKey: string;
  tags: { name: string; value: string }[];
  /** For the send log (email_sends). */
  template: 'outreach';
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"')]+/g;

export const outreachLinks = (publicUrl: string, ring: KeyRing, sendId: string) => {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    optOut: `${base}/outreach/opt-out?t=${signLink(ring, 'opt-out', sendId)}`,
    openPixel: `${base}/outreach/t/open?t=${signLink(ring, 'open', sendId)}`,
    click: (url: string) => `${base}/outreach/t/click?t=${signLink(ring, 'click', sendId, url)}`,
  };
};

export const composeOutreachEmail = (c: {
  sendId: string;
  prospect: OutreachProspectFacts;
  campaign: OutreachCampaignFacts;
  step: OutreachStep;
  company: CompanyIdentity;
  publicUrl: string;
  ring: KeyRing;
}): ComposedOutreachEmail => {
  const links = outreachLinks(c.publicUrl, c.ring, c.sendId);
  const values = { ...c.prospect, senderName: c.campaign.senderName };
  const subject = renderTemplate(c.step.subject, values).replace(/[\r\n]+/g, ' ');
  const body = renderTemplate(c.step.body, values);
  const track = (url: string) => (c.campaign.isTrackingEnabled ? links.click(url) : url);
  const who = `${c.campaign.senderName}, ${c.company.name}`;
  const address = c.company.address ?? '';
  const why = `We wrote to ${c.prospect.company} because we think our service is relevant to your business (legitimate interest).`;
  const optOutLine = 'Do not want these emails? Opt out with one click:';

  const text = [body.replace(URL_IN_TEXT, track), '', '--', who, ...(address ? [address] : []), why, `${optOutLine} ${links.optOut}`].join(
    '\n',
  );

  const paragraphs = body
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p>${escapeHtml(p)
          .replace(URL_IN_TEXT, (u) => `<a href="${escapeHtml(track(u))}">${u}</a>`)
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('');
  const html =
    `<div style="font:15px/1.5 system-ui,sans-serif;color:#111827">${paragraphs}` +
    `<p style="font-size:13px;color:#4b5563">${escapeHtml(who)}${address ? `<br>${escapeHtml(address)}` : ''}<br>${escapeHtml(why)}<br>` +
    `${escapeHtml(optOutLine)} <a href="${escapeHtml(links.optOut)}">opt out</a></p></div>` +
    (c.campaign.isTrackingEnabled ? `<img src="${escapeHtml(links.openPixel)}" width="1" height="1" alt="">` : '');

  return {
    to: [c.prospect.email],
    subject,
    text,
    html,
    // RFC 8058: the URL takes a POST with `List-Unsubscribe=One-Click` and needs no login.
    headers: { 'List-Unsubscribe': `<${links.optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    idempotencyKey: c.sendId,
    tags: [{ name: 'kind', value: 'outreach' }],
    template: 'outreach',
  };
};
