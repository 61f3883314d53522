/**
 * The one layout every email is rendered with: the same content as HTML (every value escaped) and as plain
 * text. The footer with the company identity and the privacy link is added to both parts by the one send path
 * (integrations/email.ts, config/company.ts `withEmailFooter`), so no template can leave it out.
 */

/** A rendered email; `template` names it in the send log (email_sends). */
export type RenderedEmail = { template: string; subject: string; text: string; html: string };

export type EmailSection = {
  heading?: string;
  rows?: [string, string][];
  paragraphs?: string[];
  link?: { label: string; url: string };
};

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export type EmailContent = {
  template: string;
  subject: string;
  /** The heading on top; omitted for short personal emails that open with a greeting. */
  title?: string;
  sections: EmailSection[];
  /** A small line under the content (why this person gets these emails). */
  note?: string;
};

export const renderEmail = (c: EmailContent): RenderedEmail => {
  const text: string[] = c.title ? [c.title, ''] : [];
  const html: string[] = [`<div style="font-family:system-ui,sans-serif;max-width:560px">`];
  if (c.title) html.push(`<h2>${escapeHtml(c.title)}</h2>`);
  for (const s of c.sections) {
    if (s.heading) {
      text.push(s.heading);
      html.push(`<h3>${escapeHtml(s.heading)}</h3>`);
    }
    if (s.rows?.length) {
      for (const [k, v] of s.rows) text.push(`${k}: ${v}`);
      html.push(
        `<table>${s.rows.map(([k, v]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
      );
    }
    for (const p of s.paragraphs ?? []) {
      text.push(p);
      html.push(`<p>${escapeHtml(p)}</p>`);
    }
    if (s.link) {
      text.push(`${s.link.label}: ${s.link.url}`);
      html.push(`<p><a href="${escapeHtml(s.link.url)}">${escapeHtml(s.link.label)}</a></p>`);
    }
    text.push('');
  }
  if (c.note) {
    text.push(c.note);
    html.push(`<p style="color:#666;font-size:12px">${escapeHtml(c.note)}</p>`);
  }
  html.push('</div>');
  return { template: c.template, subject: c.subject, text: text.join('\n').trimEnd() + '\n', html: html.join('\n') };
};
