/**
 * Queues the account emails (domain/emails/account.ts): welcome, verify your address, reset your password, join a
 * business. They go out in the background (starters/emails.ts): the request never waits on Resend, and an outage
 * is retried with backoff. The idempotency key comes from the token's id (or the user, for the welcome), so a
 * retry never mails twice. Without RESEND_API_KEY nothing is mailed (logged without the link): addresses then stay
 * unverified, which only limits joining other businesses.
 */
import { accountEmail, accountEmailIdempotencyKey, type AccountEmail } from '../../domain/emails/index.js';
import type { Logger } from '../../lib/logger.js';
import type { EmailOutbox } from '../../starters/emails.js';

export type { AccountEmail } from '../../domain/emails/index.js';

/** `isQueued`: handed to the background sender (durable), not yet delivered. */
export type AccountMailer = { send(email: AccountEmail): Promise<{ isQueued: boolean }> };

export const createAccountMailer = (opts: { outbox?: EmailOutbox; publicUrl: string; log: Logger }): AccountMailer => ({
  async send(e) {
    if (!opts.outbox) {
      opts.log.warn({ kind: e.kind }, 'account email not sent: set RESEND_API_KEY to mail verification, reset and invitation links');
      return { isQueued: false };
    }
    try {
      await opts.outbox.queue({
        ...accountEmail(e, opts.publicUrl),
        to: [e.to],
        idempotencyKey: accountEmailIdempotencyKey(e),
        tags: [{ name: 'kind', value: e.kind }],
      });
      return { isQueued: true };
    } catch (err) {
      // Temporal unreachable: the caller's answer must not depend on it (it would tell whether an address has an account).
      opts.log.warn({ kind: e.kind, err: (err as Error).message }, 'account email not queued');
      return { isQueued: false };
    }
  },
});
