/**
 * The send log (domain/emails/send-log.ts) around the real sender and the real `resend` client against the fake:
 * one email_sends row per idempotency key, its attempts and status, Resend's id, and no address in plain text.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../db/connection.js';
import { emailSendId, withSendLog } from '../../domain/emails/send-log.js';
import { createEmailSender, EmailError, type EmailSender } from '../../integrations/email.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { createLogger } from '../../lib/logger.js';
import { startFakeResend, type FakeResend } from '../../sandbox/fakes/resend.js';
import { testMongoUri } from '../helpers/services.js';

const keyRing: KeyRing = [{ id: 't1', key: randomBytes(32) }];

describe('email send log', () => {
  let resend: FakeResend;
  let db: Db;
  let sender: EmailSender;
  beforeAll(async () => {
    resend = await startFakeResend();
    db = await connectDb(testMongoUri('email-send-log'));
    sender = withSendLog(createEmailSender({ apiKey: 're_test', baseUrl: resend.url, from: 'LuxLeads <n@luxleads.local>' }), {
      models: db.models,
      keyRing,
      log: createLogger({ level: 'silent', name: 'send-log' }),
    });
  });
  afterAll(async () => {
    await resend?.close();
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  const message = (to: string, key: string) => ({
    to: [to],
    subject: 'New lead: Sam',
    text: 'Sam',
    html: '<p>Sam</p>',
    idempotencyKey: key,
    template: 'lead_created',
    businessId: 'biz_log',
  });

  it('records a sent email with its template, business, Resend id and hashed recipient, never the address', async () => {
    const to = 'Owner.Log@Clinic.example';
    const key = `evt-log-1:email:${to}`;
    const { id } = await sender.send(message(to, key));
    const row = await db.models.EmailSend.findById(emailSendId(key)).lean();
    expect(row).toMatchObject({ template: 'lead_created', businessId: 'biz_log', status: 'sent', attempts: 1, providerMessageId: id });
    expect(row?.recipientHashes).toEqual([expect.stringMatching(/^t1:[0-9a-f]{32}$/)]);
    expect(row?.idempotencyKey).toMatch(/^evt-log-1:email:email#[0-9a-f]{16}$/);
    expect(row?.sentAt).toBeInstanceOf(Date);
    expect(JSON.stringify(row).toLowerCase()).not.toContain('owner.log');
    // The same address hashes the same whatever its case: rows of one recipient can be found together.
    await sender.send(message('owner.log@clinic.example', 'evt-log-2'));
    const other = await db.models.EmailSend.findById(emailSendId('evt-log-2')).lean();
    expect(other?.recipientHashes).toEqual(row?.recipientHashes);
  });

  it('counts attempts on one row: retrying after an outage, then sent; a refused address is failed', async () => {
    resend.failNext({ method: 'POST', path: /^\/emails$/, status: 503, times: 2 });
    const key = 'evt-log-outage';
    for (let i = 0; i < 2; i++) {
      const err = await sender.send(message('outage@clinic.example', key)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmailError);
      expect((err as EmailError).kind).toBe('retryable');
    }
    expect(await db.models.EmailSend.findById(emailSendId(key)).lean()).toMatchObject({
      status: 'retrying',
      attempts: 2,
      errorKind: 'retryable',
      errorStatus: 503,
    });
    const { id } = await sender.send(message('outage@clinic.example', key));
    const row = await db.models.EmailSend.findById(emailSendId(key)).lean();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, providerMessageId: id });
    expect(row?.errorKind).toBeUndefined();
    expect(resend.emailsTo('outage@clinic.example')).toHaveLength(1);

    await expect(sender.send(message('not-an-address', 'evt-log-refused'))).rejects.toMatchObject({ kind: 'rejected' });
    expect(await db.models.EmailSend.findById(emailSendId('evt-log-refused')).lean()).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorKind: 'rejected',
      errorStatus: 422,
    });
  });
});
