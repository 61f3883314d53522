/** What the outreach activities need beyond the basics (worker/build-deps.ts builds it from config). */
import type { CompanyIdentity } from '../../config/company.js';
import type { EmailSender } from '../../integrations/email.js';

export type OutreachDeps = {
  /** Absent without RESEND_API_KEY: nothing is sent, each sequence stops as `rejected`. */
  email?: EmailSender;
  /** Who writes: every outreach email names the company and its postal address (COMPANY_ADDRESS). */
  company: CompanyIdentity;
  /** Base of the opt-out and tracking links. */
  publicUrl: string;
};
