/**
 * The account emails: welcome, verify your address, reset your password, join a business. Each link carries a
 * single-use token (api/auth/account-tokens.ts); the welcome email has none.
 */
import { renderEmail, type RenderedEmail } from './layout.js';

export type AccountEmail =
  | { kind: 'welcome'; to: string; userId: string; name?: string; businessName: string }
  | { kind: 'verify_email'; to: string; token: string; tokenId: string; name?: string }
  | { kind: 'password_reset'; to: string; token: string; tokenId: string }
  | { kind: 'invite'; to: string; token: string; tokenId: string; businessName: string; role: 'owner' | 'member' };

export type AccountEmailKind = AccountEmail['kind'];

const PATHS = { verify_email: '/verify-email', password_reset: '/reset-password', invite: '/accept-invite' } as const;

const baseOf = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

/** What makes the email unique (the token's id, the user), never the address: the same email is never sent twice. */
export const accountEmailIdempotencyKey = (e: AccountEmail) =>
  e.kind === 'welcome' ? `account:welcome:${e.userId}` : `account:${e.kind}:${e.tokenId}`;

const tokenEmail = (e: Exclude<AccountEmail, { kind: 'welcome' }>, publicUrl: string) => {
  const url = `${baseOf(publicUrl)}${PATHS[e.kind]}?token=${encodeURIComponent(e.token)}`;
  switch (e.kind) {
    case 'verify_email':
      return {
        subject: 'Confirm your email address for LuxLeads',
        lines: [
          `Hi${e.name ? ` ${e.name}` : ''},`,
          'Confirm that this is your email address by opening the link below (valid for 48 hours):',
        ],
        link: { label: 'Confirm your email address', url },
        after: 'If you did not create a LuxLeads account, ignore this email.',
      };
    case 'password_reset':
      return {
        subject: 'Reset your LuxLeads password',
        lines: [
          'Someone asked to reset the password of the LuxLeads account that uses this address.',
          'To choose a new password, open the link below (valid for 45 minutes, once):',
        ],
        link: { label: 'Choose a new password', url },
        after: 'If it was not you, ignore this email: your password stays as it is.',
      };
    case 'invite':
      return {
        subject: `You are invited to ${e.businessName} on LuxLeads`,
        lines: [
          `You were invited to join ${e.businessName} on LuxLeads as ${e.role === 'owner' ? 'an owner' : 'a member'}.`,
          'Sign in (or sign up with this email address), confirm the address, then open the link below (valid for 7 days):',
        ],
        link: { label: 'Accept the invitation', url },
        after: 'If you do not know this business, ignore this email.',
      };
  }
};

export const accountEmail = (e: AccountEmail, publicUrl: string): RenderedEmail => {
  if (e.kind === 'welcome') {
    return renderEmail({
      template: 'welcome',
      subject: 'Welcome to LuxLeads',
      title: `Welcome to LuxLeads${e.name ? `, ${e.name}` : ''}`,
      sections: [
        {
          paragraphs: [
            `Your account and ${e.businessName} are ready. Connect Messenger, Instagram or the website chat and the assistant starts answering your customers and passing you their leads.`,
            'We also sent you a link to confirm your email address: open it to be able to join other businesses.',
          ],
          link: { label: 'Open LuxLeads', url: `${baseOf(publicUrl)}/app` },
        },
      ],
    });
  }
  const c = tokenEmail(e, publicUrl);
  return renderEmail({
    template: e.kind,
    subject: c.subject,
    sections: [{ paragraphs: c.lines, link: c.link }, { paragraphs: [c.after] }],
  });
};
