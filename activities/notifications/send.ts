/**
 * Sends one WhatsApp message or one email to a business behind its `notifications` row (see
 * notification-records.ts), and turns provider failures into outcomes: transient ones are returned with the
 * error for the caller to throw after every other target had its turn.
 */
import { createHash } from 'node:crypto';
import type { NotificationStatus } from '../../db/models/notification.js';
import { EmailError, type EmailMessage } from '../../integrations/email.js';
import { WhatsAppError, type WhatsAppErrorKind } from '../../integrations/whatsapp.js';
import type { ActivityDeps } from '../deps.js';
import type { NotifyDeps } from './deps.js';
import {
  claimNotification,
  notificationId,
  recordUnsent,
  settleNotification,
  type NotificationBase,
} from '../../domain/notification-records.js';

export type SendOutcome = {
  id: string;
  target: string;
  status: NotificationStatus;
  reason?: string;
  errorCode?: number;
  /** Set when status is 'retry': the caller throws it so the activity's retry policy backs off. */
  error?: Error;
};

export const DISABLED = 'integration disabled';

/** Resend accepts keys of 1..256 characters; longer ids (long addresses) are hashed, still derived from the row. */
export const idempotencyKeyOf = (id: string) => (id.length <= 256 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`);

export const createNotificationSender = (deps: ActivityDeps) => {
  const { models, log } = deps;
  const n: NotifyDeps = deps.notify;

  const whatsappOnce = async (
    key: string,
    base: Omit<NotificationBase, 'channel' | 'target'>,
    number: string,
    send: (wa: NonNullable<NotifyDeps['whatsapp']>) => Promise<{ messageId: string }>,
  ): Promise<SendOutcome> => {
    const id = notificationId(key, 'whatsapp', number);
    const row = { ...base, channel: 'whatsapp' as const, target: number };
    if (!n.whatsapp) {
      await recordUnsent(models, id, row, 'skipped', DISABLED);
      return { id, target: number, status: 'skipped', reason: DISABLED };
    }
    const claim = await claimNotification(models, id, row);
    if (!claim.shouldSend) return { id, target: number, status: claim.status, reason: claim.reason, errorCode: claim.errorCode };
    let sent: { messageId: string };
    // Only the provider call is inside the try: a database error after Meta accepted must not look like a failed send.
    try {
      sent = await send(n.whatsapp);
    } catch (err) {
      const kind: WhatsAppErrorKind = err instanceof WhatsAppError ? err.kind : 'retryable';
      const errorCode = err instanceof WhatsAppError ? err.code : undefined;
      if (kind === 'retryable') {
        await settleNotification(models, id, 'retry', { reason: kind, errorCode });
        return { id, target: number, status: 'retry', reason: kind, errorCode, error: err as Error };
      }
      const status = kind === 'outcome_unknown' ? 'uncertain' : 'failed';
      await settleNotification(models, id, status, { reason: kind, errorCode });
      if (kind === 'token_invalid')
        log.error(
          { businessId: base.businessId, code: errorCode },
          'WhatsApp access token rejected (190): set a new WHATSAPP_ACCESS_TOKEN',
        );
      return { id, target: number, status, reason: kind, errorCode };
    }
    await settleNotification(models, id, 'sent', { providerId: sent.messageId });
    return { id, target: number, status: 'sent' };
  };

  const emailOnce = async (
    key: string,
    base: Omit<NotificationBase, 'channel' | 'target'>,
    to: string[],
    target: string,
    message: Omit<EmailMessage, 'to' | 'idempotencyKey'>,
    opts: { idempotencyKey?: string } = {},
  ): Promise<SendOutcome> => {
    const id = notificationId(key, 'email', target);
    const row = { ...base, channel: 'email' as const, target };
    if (!n.email) {
      await recordUnsent(models, id, row, 'skipped', DISABLED);
      return { id, target, status: 'skipped', reason: DISABLED };
    }
    if (to.length === 0) {
      await recordUnsent(models, id, row, 'skipped', 'no email recipients');
      return { id, target, status: 'skipped', reason: 'no email recipients' };
    }
    const claim = await claimNotification(models, id, row);
    if (!claim.shouldSend) return { id, target, status: claim.status, reason: claim.reason };
    let sent: { id: string };
    try {
      sent = await n.email.send({
        template: base.kind,
        ...message,
        businessId: base.businessId,
        to,
        idempotencyKey: opts.idempotencyKey ?? idempotencyKeyOf(id),
      });
    } catch (err) {
      const kind = err instanceof EmailError ? err.kind : 'retryable';
      if (kind === 'already_sent') {
        await settleNotification(models, id, 'sent', { reason: 'accepted by an earlier attempt' });
        return { id, target, status: 'sent' };
      }
      if (kind === 'retryable') {
        await settleNotification(models, id, 'retry', { reason: (err as Error).message });
        return { id, target, status: 'retry', reason: kind, error: err as Error };
      }
      await settleNotification(models, id, 'failed', {
        reason: (err as Error).message,
        errorCode: err instanceof EmailError ? (err.status ?? undefined) : undefined,
      });
      log.warn({ businessId: base.businessId, kind: base.kind }, 'email rejected by Resend; not retried');
      return { id, target, status: 'failed', reason: 'rejected' };
    }
    await settleNotification(models, id, 'sent', { providerId: sent.id });
    return { id, target, status: 'sent' };
  };

  /** One email per address, each with its own row and idempotency key. */
  const emailEach = async (
    key: string,
    base: Omit<NotificationBase, 'channel' | 'target'>,
    addresses: string[],
    message: Omit<EmailMessage, 'to' | 'idempotencyKey'>,
  ) => {
    if (addresses.length === 0) return [await emailOnce(key, base, [], 'none', message)];
    const outcomes: SendOutcome[] = [];
    for (const address of addresses) outcomes.push(await emailOnce(key, base, [address], address, message));
    return outcomes;
  };

  return { whatsappOnce, emailOnce, emailEach, notify: n };
};

/** Throws the first transient failure so the retry policy runs again; settled rows make that retry cheap. */
export const throwIfRetryable = (outcomes: SendOutcome[]) => {
  const retry = outcomes.find((o) => o.status === 'retry');
  if (retry?.error) throw retry.error;
};
