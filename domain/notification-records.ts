/**
 * The idempotency guard for everything we send a business: a `notifications` row is written BEFORE the
 * provider is called ('sending') and settled AFTER ('sent', 'failed', 'retry'…), so a retried activity or a
 * restarted worker finds the row and does not send again.
 *
 * Email is exactly-once: Resend takes an idempotency key (the row id), so a row left 'sending' by a crash is
 * simply sent again and Resend answers with the first result. WhatsApp has no idempotency key, so a row left
 * 'sending' may or may not have reached Meta; we choose at-most-once there and mark it 'uncertain' instead of
 * risking a duplicate alert on the owner's phone (an email for the same event still goes out).
 */
import type { Models } from '../db/models/index.js';
import type { NotificationStatus } from '../db/models/notification.js';

export type NotificationChannel = 'whatsapp' | 'email';

export type NotificationBase = {
  businessId: string;
  kind: string;
  channel: NotificationChannel;
  target: string;
  leadId?: string;
  eventId?: string;
  conversationId?: string;
};

export type Claim = { shouldSend: true } | { shouldSend: false; status: NotificationStatus; reason?: string; errorCode?: number };

export const notificationId = (key: string, channel: NotificationChannel, target: string) => `${key}:${channel}:${target}`;

export const claimNotification = async (models: Models, id: string, base: NotificationBase): Promise<Claim> => {
  const before = await models.Notification.findOneAndUpdate(
    { _id: id },
    { $setOnInsert: { ...base, status: 'sending', attempts: 1 } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  if (!before) return { shouldSend: true };
  const status = before.status as NotificationStatus;
  if (status === 'retry' || (status === 'sending' && base.channel === 'email')) {
    await models.Notification.updateOne({ _id: id }, { $set: { status: 'sending' }, $inc: { attempts: 1 } });
    return { shouldSend: true };
  }
  if (status === 'sending') {
    const reason = 'a previous attempt was interrupted mid-send; WhatsApp has no idempotency key, so it is not resent';
    await models.Notification.updateOne({ _id: id, status: 'sending' }, { $set: { status: 'uncertain', reason } });
    return { shouldSend: false, status: 'uncertain', reason };
  }
  return { shouldSend: false, status, reason: before.reason ?? undefined, errorCode: before.errorCode ?? undefined };
};

export const settleNotification = async (
  models: Models,
  id: string,
  status: Exclude<NotificationStatus, 'sending' | 'deferred'>,
  fields: { reason?: string; errorCode?: number; providerId?: string; at?: Date } = {},
) => {
  const { at, ...rest } = fields;
  await models.Notification.updateOne(
    { _id: id },
    { $set: { status, ...rest, ...(status === 'sent' ? { sentAt: at ?? new Date() } : {}) } },
  );
};

/** A decision not to send now (skipped, deferred to the digest): recorded once, never overwritten. */
export const recordUnsent = async (models: Models, id: string, base: NotificationBase, status: 'skipped' | 'deferred', reason: string) => {
  await models.Notification.updateOne({ _id: id }, { $setOnInsert: { ...base, status, reason, attempts: 0 } }, { upsert: true });
};
