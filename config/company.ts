/**
 * Who runs the service, as every public page and every email names it: the company, its address and the
 * privacy contact from config, and the absolute links to the legal pages. One definition, so the footer of
 * /privacy and the footer of an email cannot disagree.
 */
import type { Config } from './schema.js';

export type CompanyIdentity = {
  name: string;
  address: string | undefined;
  privacyEmail: string;
  privacyUrl: string;
  termsUrl: string;
  dataDeletionUrl: string;
};

export type CompanyConfig = Pick<Config, 'COMPANY_NAME' | 'COMPANY_ADDRESS' | 'PRIVACY_CONTACT_EMAIL' | 'PUBLIC_URL'>;

export const companyIdentityOf = (c: CompanyConfig): CompanyIdentity => {
  const base = c.PUBLIC_URL.replace(/\/+$/, '');
  return {
    name: c.COMPANY_NAME,
    address: c.COMPANY_ADDRESS,
    privacyEmail: c.PRIVACY_CONTACT_EMAIL,
    privacyUrl: `${base}/privacy`,
    termsUrl: `${base}/terms`,
    dataDeletionUrl: `${base}/data-deletion`,
  };
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The footer every email ends with: who sent it and where its privacy policy is. */
export const emailFooter = (id: CompanyIdentity): { text: string; html: string } => {
  const who = [id.name, id.address].filter(Boolean).join(', ');
  return {
    text: `--\n${who}\nPrivacy policy: ${id.privacyUrl}\nPrivacy questions: ${id.privacyEmail}`,
    html:
      `<hr style="border:0;border-top:1px solid #d1d5db;margin:24px 0 12px">` +
      `<p style="font:13px/1.5 system-ui,sans-serif;color:#4b5563;margin:0">${escapeHtml(who)}<br>` +
      `<a href="${escapeHtml(id.privacyUrl)}" style="color:#1d4ed8">Privacy policy</a> · ` +
      `<a href="mailto:${escapeHtml(id.privacyEmail)}" style="color:#1d4ed8">${escapeHtml(id.privacyEmail)}</a></p>`,
  };
};

/** A message with the footer appended to its text, and to its HTML when it has one. */
export const withEmailFooter = <M extends { text: string; html?: string }>(message: M, id: CompanyIdentity): M => {
  const footer = emailFooter(id);
  return {
    ...message,
    text: `${message.text}\n\n${footer.text}`,
    ...(message.html === undefined ? {} : { html: `${message.html}${footer.html}` }),
  };
};
