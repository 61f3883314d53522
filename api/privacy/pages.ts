/** The public privacy pages: a deletion request's status (no personal data, ever) and the request form. */
import type { PrivacyRequestStatus } from '../../domain/privacy-requests.js';

export type PublicRequestStatus = {
  confirmationCode: string;
  kind: string;
  status: PrivacyRequestStatus;
  receivedAt: string;
  dueAt: string;
  completedAt: string | null;
  stepsCompleted: number;
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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

export const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} — LuxLeads</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{color:#6b7280}.status{font-weight:600}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}</style></head>
<body>${body}</body></html>`;

export const statusPageHtml = (s: PublicRequestStatus) => {
  const t = STATUS_TEXT[s.status];
  return page(
    'Deletion request status',
    `<h1>Your ${escapeHtml(s.kind)} request</h1>
<p class="status">Status: ${t.label}</p><p>${t.text}</p>
<dl><dt>Confirmation code</dt><dd><code>${escapeHtml(s.confirmationCode)}</code></dd>
<dt>Received</dt><dd>${day(s.receivedAt)}</dd><dt>Due by</dt><dd>${day(s.dueAt)}</dd><dt>Completed</dt><dd>${day(s.completedAt)}</dd></dl>
<p>Keep the confirmation code if you want to check again later. Questions: reply in the chat with the business, or see <a href="/privacy">our privacy notice</a>.</p>`,
  );
};

export const notFoundPageHtml = () =>
  page(
    'Unknown request',
    '<h1>We do not know this confirmation code</h1><p>Check the link you were given. Codes are 24 letters and digits.</p>',
  );

export const formPageHtml = (prefill: { business?: string; session?: string }) =>
  page(
    'Delete my data',
    `<h1>Ask for your data to be deleted</h1>
<p>We need to be sure the request comes from you, so we verify it through the way you contacted the business:</p>
<ul><li><b>Website chat</b>: open this form from the chat's privacy link (it carries your chat session), or simply type "delete my data" in the chat.</li>
<li><b>Messenger or Instagram</b>: send "delete my data" in that conversation.</li>
<li><b>Email</b>: give the address you shared; we send a confirmation link to it.</li></ul>
<form method="post" action="/data-deletion">
<label for="business">Business (its chat key or id)</label><input id="business" name="business" required value="${escapeHtml(prefill.business ?? '')}">
<label for="email">Your email address (optional)</label><input id="email" name="email" type="email" autocomplete="email">
<label for="phone">Your phone number (optional)</label><input id="phone" name="phone" type="tel" autocomplete="tel">
<input type="hidden" name="widgetSessionId" value="${escapeHtml(prefill.session ?? '')}">
<button type="submit">Request deletion</button></form>`,
  );

export const messagePageHtml = (title: string, paragraphs: string[], link?: { href: string; text: string }) =>
  page(
    title,
    `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ''}`,
  );

export const confirmPageHtml = (token: string) =>
  page(
    'Confirm deletion',
    `<h1>Confirm your deletion request</h1>
<p>Press the button to delete the data held about this email address by the business you chose.</p>
<form method="post" action="/data-deletion/verify"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Delete my data</button></form>`,
  );
