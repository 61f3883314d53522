/** /terms: a placeholder until the company publishes its terms of service; it says so, and where to ask. */
import type { CompanyIdentity } from '../../config/company.js';
import { escapeHtml, renderPublicPage } from './layout.js';

export const termsPageHtml = (company: CompanyIdentity) =>
  renderPublicPage({
    title: 'Terms of service',
    company,
    body: `<h1>Terms of service</h1>
<p class="lede">Our terms of service are being written and will be published on this page.</p>
<p>Until then, a business's use of LuxLeads AI is governed by its agreement with ${escapeHtml(company.name)}. How we handle personal data is set out in our <a href="/privacy">privacy policy</a>, and anyone can ask for their data to be deleted on the <a href="/data-deletion">data deletion page</a>.</p>
<p>Questions: <a href="mailto:${escapeHtml(company.privacyEmail)}">${escapeHtml(company.privacyEmail)}</a>.</p>`,
  });
