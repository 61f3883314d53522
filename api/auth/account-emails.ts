/**
 * Sends the account emails (domain/emails/account.ts): welcome, verify your address, reset your password, join a
 * business. The idempotency key comes from the token's id (or the user, for the welcome), so a retry never mails
 * twice. Without RESEND_API_KEY nothing is mailed (logged without the link): addresses then stay unverified,
 * which only limits joining other businesses.
 */
import { accountEmail, accountEmailIdempotencyKey, type AccountEmail } from '../../domain/emails/index.js';
import { EmailError, type EmailSender } from '../../integrations/email.js';
import type { Logger } from '../../lib/logger.js';

export type { AccountEmail } from '../../domain/emails/index.js';

export type AccountMailer = { send(email: AccountEmail): Promise<{ isSent: boolean }> };

export const createAccountMailer = (opts: { sender?: EmailSender; publicUrl: string; log: Logger }): AccountMailer => ({
  async send(e) {
    if (!opts.sender) {
      opts.log.warn({ kind: e.kind }, 'account email not sent: set RESEND_API_KEY to mail verification, reset and invitation links');
      return { isSent: false };
    }
    try {
      await opts.sender.send({
        ...accountEmail(e, opts.publicUrl),
        to: [e.to],
        idempotencyKey: accountEmailIdempotencyKey(e),
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
});
