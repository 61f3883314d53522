/**
 * The public deletion pages, in the layout of /privacy: the instructions and request form, a request's status (no
 * personal data, ever), the emailed confirmation, and the short answers the form gives. Routes pass the company
 * from companyOf(res) (api/pages/layout.ts).
 */
import type { CompanyIdentity } from '../../config/company.js';
import { REQUEST_KIND_TEXT } from '../../domain/emails/index.js';
import type { PrivacyRequestKind, PrivacyRequestStatus } from '../../domain/privacy-requests.js';
import { escapeHtml, renderPublicPage } from '../pages/layout.js';
import { DUE_AFTER_MS } from '../../workflows/privacy-request-tracker.js';

export type PublicRequestStatus = {
  confirmationCode: string;
  kind: string;
  status: PrivacyRequestStatus;
  receivedAt: string;
  dueAt: string;
  completedAt: string | null;
  stepsCompleted: number;
};

const DEADLINE_DAYS = DUE_AFTER_MS / (24 * 60 * 60 * 1000);
const day = (iso: string | null) => (iso ? new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '') : '—');

const STATUS_TEXT: Record<PrivacyRequestStatus, { label: string; text: string }> = {
  received: { label: 'Received', text: 'We have received your request and will start on it shortly.' },
  in_progress: { label: 'In progress', text: 'We are deleting your data from every place we hold it.' },
  completed: {
    label: 'Completed',
    text: 'Your data has been deleted. Conversations, contact details and related records no longer exist in our systems.',
  },
  overdue: {
    label: 'Overdue',
    text: 'This request is taking longer than it should. Our compliance team has been alerted and is working on it.',
  },
};

/** Per-person pages (a status, a confirmation, an answer) stay out of search engines; the form does not. */
const page = (company: CompanyIdentity, title: string, body: string, isPrivate = true) =>
  renderPublicPage({ title, body, company, isPrivate });

/** What in progress and done mean for the rights other than deletion (whose wording is STATUS_TEXT's). */
const OTHER_KIND_TEXT: Partial<Record<PrivacyRequestStatus, (kind: PrivacyRequestKind) => string>> = {
  in_progress: (kind) => `We are working on your request for ${REQUEST_KIND_TEXT[kind]}.`,
  completed: (kind) =>
    kind === 'access'
      ? 'Your request is complete. If you asked with our form, the download link is in the email we sent you.'
      : `Your request for ${REQUEST_KIND_TEXT[kind]} is complete.`,
};
const isKind = (k: string): k is PrivacyRequestKind => k in REQUEST_KIND_TEXT;

export const statusPageHtml = (s: PublicRequestStatus, company: CompanyIdentity) => {
  const other = s.kind !== 'deletion' && isKind(s.kind) ? OTHER_KIND_TEXT[s.status] : undefined;
  const t = { ...STATUS_TEXT[s.status], ...(other && isKind(s.kind) ? { text: other(s.kind) } : {}) };
  return page(
    company,
    s.kind === 'deletion' ? 'Deletion request status' : 'Request status',
    `<h1>Your ${escapeHtml(s.kind)} request</h1>
<p class="status">Status: ${t.label}</p><p>${t.text}</p>
<dl><dt>Confirmation code</dt><dd><code>${escapeHtml(s.confirmationCode)}</code></dd>
<dt>Received</dt><dd>${day(s.receivedAt)}</dd><dt>Due by</dt><dd>${day(s.dueAt)}</dd><dt>Completed</dt><dd>${day(s.completedAt)}</dd></dl>
<p>Keep the confirmation code if you want to check again later. Questions: reply in the chat with the business, write to <a href="mailto:${escapeHtml(company.privacyEmail)}">${escapeHtml(company.privacyEmail)}</a>, or see <a href="/privacy">our privacy policy</a>.</p>`,
  );
};

export const notFoundPageHtml = (company: CompanyIdentity) =>
  page(
    company,
    'Unknown request',
    '<h1>We do not know this confirmation code</h1><p>Check the link you were given. Codes are 24 letters and digits.</p><p><a href="/data-deletion">How to ask for your data to be deleted</a></p>',
  );

const instructions = (company: CompanyIdentity) => `<h2 id="facebook">Through Facebook</h2>
<ol class="steps">
<li>On Facebook, open <b>Settings &amp; privacy</b> → <b>Settings</b> → <b>Apps and websites</b>.</li>
<li>Find <b>LuxLeads AI</b>, remove it, and press <b>Send request</b> to ask for your data to be deleted.</li>
</ol>
<p>Meta then calls our data deletion callback with a signed request naming your account. We find your conversations with every business that uses LuxLeads AI, on Messenger and on Instagram, and delete them with the contact details and lead records made from them, within ${DEADLINE_DAYS} days. Meta shows you a confirmation code and a link to a page on this site where you can follow the request.</p>
<p>LuxLeads AI is listed there once you have used it with your Facebook account. If it is not, use one of the ways below.</p>
<h2 id="chat">In the conversation</h2>
<p>Send <b>delete my data</b> in the conversation you had with the business, on Messenger, Instagram or the website chat. That proves the request comes from you, so nothing else is needed.</p>
<h2 id="form">With this form</h2>
<p>We verify the request through the way you contacted the business:</p>
<ul><li><b>Website chat</b>: open this form from the chat's "Your data" link (it carries your chat session for two hours).</li>
<li><b>Email</b>: give the address you shared with the business; we send a confirmation link to it. Your request is received when you confirm it, and we write to that address when we have received it and when it is done.</li></ul>
<p>We answer every request within ${DEADLINE_DAYS} days. Questions: <a href="mailto:${escapeHtml(company.privacyEmail)}">${escapeHtml(company.privacyEmail)}</a>.</p>`;

const KIND_OPTIONS: [PrivacyRequestKind, string][] = [
  ['deletion', 'Delete my data'],
  ['access', 'Send me a copy of my data'],
  ['correction', 'Correct my data'],
  ['restriction', 'Restrict the processing of my data'],
  ['objection', 'I object to the processing of my data'],
];

export type FormPrefill = { business?: string; chat?: string; kind?: PrivacyRequestKind };

/** The request form for every right; `chat` is the chat's signed link token (the form then needs no email). */
export const formPageHtml = (prefill: FormPrefill, company: CompanyIdentity) =>
  page(
    company,
    'Your data',
    `<h1>Delete, see or correct your data</h1>
<p class="lede">LuxLeads AI answers messages for businesses on Messenger, Instagram and their websites. Here is how to see, correct or delete what it holds about you, or to restrict or object to its use.</p>
${instructions(company)}
<form method="post" action="/data-requests" class="card" aria-label="Data request">
<label for="kind">What would you like?</label><select id="kind" name="kind">${KIND_OPTIONS.map(
      ([k, label]) => `<option value="${k}"${k === (prefill.kind ?? 'deletion') ? ' selected' : ''}>${escapeHtml(label)}</option>`,
    ).join('')}</select>
<label for="business">Business (its chat key or id)</label><input id="business" name="business" required value="${escapeHtml(prefill.business ?? '')}">
<label for="email">Your email address${prefill.chat ? ' (optional: your chat already identifies you)' : ''}</label><input id="email" name="email" type="email" autocomplete="email">
<fieldset><legend>For a correction: the right values</legend>
<label for="correctName">Name</label><input id="correctName" name="correctName" autocomplete="name">
<label for="correctEmail">Email</label><input id="correctEmail" name="correctEmail" type="email">
<label for="correctPhone">Phone</label><input id="correctPhone" name="correctPhone" type="tel"></fieldset>
<input type="hidden" name="chat" value="${escapeHtml(prefill.chat ?? '')}">
<button type="submit">Send my request</button></form>`,
    false,
  );

export const messagePageHtml = (
  title: string,
  paragraphs: string[],
  link: { href: string; text: string } | undefined,
  company: CompanyIdentity,
) =>
  page(
    company,
    title,
    `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ''}`,
  );

export const confirmPageHtml = (token: string, company: CompanyIdentity, kind: PrivacyRequestKind = 'deletion') =>
  kind === 'deletion'
    ? page(
        company,
        'Confirm deletion',
        `<h1>Confirm your deletion request</h1>
<p>Press the button to delete the data held about this email address by the business you chose.</p>
<form method="post" action="/data-deletion/verify"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Delete my data</button></form>`,
      )
    : page(
        company,
        'Confirm your request',
        `<h1>Confirm your request</h1>
<p>Press the button to send your request for ${escapeHtml(REQUEST_KIND_TEXT[kind])}, about this email address, to the business you chose. We answer within ${DEADLINE_DAYS} days and write to you when it is done.</p>
<form method="post" action="/data-deletion/verify"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Send my request</button></form>`,
      );
