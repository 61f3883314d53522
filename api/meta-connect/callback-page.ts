/** The small page the browser lands on after Facebook Login: which Pages can be connected, never a token. */
import type { PendingSummary } from './callback.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const renderCallbackPage = (summary: PendingSummary, dashboardUrl: string) => {
  const items = summary.pages
    .map(
      (p) =>
        `<li><strong>${escapeHtml(p.name || p.id)}</strong> (${escapeHtml(p.id)})${p.hasInstagram ? ' + Instagram' : ''}${p.canMessage ? '' : ' (you cannot manage its messages)'}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Facebook connected – LuxLeads</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Facebook login complete</h1>
<p>Go back to the LuxLeads dashboard to choose which Pages to connect. This choice stays open for 30 minutes.</p>
<ul>${items || '<li>No Pages were shared with LuxLeads. Connect again and select your Pages.</li>'}</ul>
<p>Connection reference: <code id="pending-id">${escapeHtml(summary.pendingId)}</code></p>
<p><a href="${escapeHtml(dashboardUrl)}">Back to the dashboard</a></p>
</body></html>`;
};
