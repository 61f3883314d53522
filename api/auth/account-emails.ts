/**
 * The emails behind account flows: verify your address, reset your password, join a business. Each link
 * carries a single-use token (account-tokens.ts); the token's hash is the idempotency key, so a retry never
 * mails twice. Without RESEND_API_KEY nothing is mailed (logged without the link): addresses then stay
 * unverified, which only limits joining other businesses.
 */
import { EmailError, type EmailSender } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';

export type AccountEmail =
  | { kind: 'verify_email'; to: string; token: string; tokenId: string; name?: string }
  | { kind: 'password_reset'; to: string; token: string; tokenId: string }
  | { kind: 'invite'; to: string; token: string; tokenId: string; businessName: string; role: 'owner' | 'member' };

export type AccountMailer = { send(email: AccountEmail): Promise<{ isSent: boolean }> };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PATHS = { verify_email: '/verify-email', password_reset: '/reset-password', invite: '/accept-invite' } as const;

const contentOf = (e: AccountEmail) => {
  switch (e.kind) {
    case 'verify_email':
      return {
        subject: 'Confirm your email address for LuxLeads',
        lines: [
          `Hi${e.name ? ` ${e.name}` : ''},`,
          'Confirm that this is your email address by opening the link below (valid for 48 hours):',
        ],
        after: 'If you did not create a LuxLeads account, ignore this email.',
      };
    case 'password_reset':
      return {
        subject: 'Reset your LuxLeads password',
        lines: [
          'Someone asked to reset the password of the LuxLeads account that uses this address.',
          'To choose a new password, open the link below (valid for 45 minutes, once):',
        ],
        after: 'If it was not you, ignore this email: your password stays as it is.',
      };
    case 'invite':
      return {
        subject: `You are invited to ${e.businessName} on LuxLeads`,
        lines: [
          `You were invited to join ${e.businessName} on LuxLeads as ${e.role === 'owner' ? 'an owner' : 'a member'}.`,
          'Sign in (or sign up with this email address), confirm the address, then open the link below (valid for 7 days):',
        ],
        after: 'If you do not know this business, ignore this email.',
      };
  }
};

export const createAccountMailer = (opts: { sender?: EmailSender; publicUrl: string; log: Logger }): AccountMailer => {
  const base = opts.publicUrl.replace(/\/+$/, '');
  return {
    async send(e) {
      if (!opts.sender) {
        opts.log.warn({ kind: e.kind }, 'account email not sent: set RESEND_API_KEY to mail verification, reset and invitation links');
        return { isSent: false };
      }
      const link = `${base}${PATHS[e.kind]}?token=${encodeURIComponent(e.token)}`;
      const c = contentOf(e);
      const text = [...c.lines, '', link, '', c.after].join('\n');
      const html = `${c.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(c.after)}</p>`;
      try {
        await opts.sender.send({
          to: [e.to],
          subject: c.subject,
          text,
          html,
          idempotencyKey: `account:${e.kind}:${e.tokenId}`,
          tags: [{ name: 'kind', value: e.kind }],
        });
        return { isSent: true };
      } catch (err) {
        // The caller's answer must not depend on delivery (it would tell whether an address has an account).
        opts.log.warn(
          {
            kind: e.kind,
            reason: err instanceof EmailError ? err.kind : 'error',
            status: err instanceof EmailError ? err.status : undefined,
          },
          'account email not sent',
        );
        return { isSent: false };
      }
    },
  };
};
