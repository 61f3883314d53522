/**
 * The send log: wraps the one EmailSender so every attempt is recorded in email_sends, one row per idempotency key
 * (attempts counted, status sent / retrying / failed, Resend's id, the error kind). Recipients are stored as keyed
 * hashes only. The worker and the API build their sender through here, so no caller can send unlogged. A failed
 * log write never fails the send: it is logged and the email's outcome stands.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../../db/models/index.js';
import type { EmailSendStatus } from '../../db/models/email-send.js';
import { EmailError, emailSenderFrom, type EmailConfig, type EmailMessage, type EmailSender } from '../../integrations/email.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { hashFor } from '../../lib/keyed-hash.js';
import type { Logger } from '../../lib/logger.js';

export type SendLogDeps = { models: Pick<Models, 'EmailSend'>; keyRing: KeyRing; log: Logger; now?: () => Date };

const ADDRESS = /[^\s@:<>,;]+@[^\s@:<>,;]+\.[^\s@:<>,;]+/g;

const recipientHash = (ring: KeyRing, address: string) => {
  const h = hashFor(ring, 'email-recipient', address.trim().toLowerCase());
  return `${h.keyId}:${h.hex}`;
};

/** The row id: a hash of the key (which may hold a business's address), stable across attempts. */
export const emailSendId = (idempotencyKey: string) => createHash('sha256').update(idempotencyKey).digest('hex');

/** What the log keeps of an idempotency key: every address in it replaced by its keyed hash. */
export const redactedKey = (ring: KeyRing, idempotencyKey: string) =>
  idempotencyKey.replace(ADDRESS, (address) => `email#${recipientHash(ring, address).split(':')[1]!.slice(0, 16)}`);

type Attempt = { status: EmailSendStatus; providerMessageId?: string; errorKind?: string; errorStatus?: number | null };

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

export const withSendLog = (sender: EmailSender, deps: SendLogDeps): EmailSender => {
  const record = async (message: EmailMessage, attempt: Attempt) => {
    const now = deps.now?.() ?? new Date();
    const update = {
      $setOnInsert: {
        idempotencyKey: redactedKey(deps.keyRing, message.idempotencyKey),
        template: message.template ?? 'unnamed',
        ...(message.businessId ? { businessId: message.businessId } : {}),
        recipientHashes: message.to.map((a) => recipientHash(deps.keyRing, a)),
      },
      $inc: { attempts: 1 },
      $set: {
        status: attempt.status,
        lastAttemptAt: now,
        ...(attempt.status === 'sent' ? { sentAt: now } : {}),
        ...(attempt.providerMessageId ? { providerMessageId: attempt.providerMessageId } : {}),
        ...(attempt.errorKind ? { errorKind: attempt.errorKind } : {}),
        ...(attempt.errorStatus != null ? { errorStatus: attempt.errorStatus } : {}),
      },
      ...(attempt.status === 'sent' && !attempt.errorKind ? { $unset: { errorKind: 1, errorStatus: 1 } } : {}),
    };
    const write = () => deps.models.EmailSend.updateOne({ _id: emailSendId(message.idempotencyKey) }, update, { upsert: true });
    try {
      // Two attempts racing on a new row: the loser's insert collides, and its update then finds the row.
      await write().catch((err: unknown) => (isDuplicateKey(err) ? write() : Promise.reject(err)));
    } catch (err) {
      deps.log.warn({ template: message.template, err: (err as Error).message }, 'email send log not written');
    }
  };

  return {
    async send(message) {
      let sent: { id: string };
      try {
        sent = await sender.send(message);
      } catch (err) {
        const kind = err instanceof EmailError ? err.kind : 'error';
        const status: EmailSendStatus = kind === 'already_sent' ? 'sent' : kind === 'rejected' ? 'failed' : 'retrying';
        await record(message, { status, errorKind: kind, errorStatus: err instanceof EmailError ? err.status : undefined });
        throw err;
      }
      await record(message, { status: 'sent', ...(sent.id ? { providerMessageId: sent.id } : {}) });
      return sent;
    },
  };
};

/** The configured sender with its send log; undefined while RESEND_API_KEY is unset (as emailSenderFrom). */
export const loggedEmailSenderFrom = (config: EmailConfig, deps: SendLogDeps): EmailSender | undefined => {
  const sender = emailSenderFrom(config);
  return sender ? withSendLog(sender, deps) : undefined;
};
