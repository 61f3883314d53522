import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookUrlSchema } from '../../api/lead-webhooks/schemas.js';
import { decryptString } from '../../lib/crypto.js';
import { verifyWebhook } from '../../lib/webhook-signature.js';
import { addMember, signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { leadWebhookSecretContext } from '../../domain/encryption-contexts.js';

const base = (businessId: string) => `/api/v1/businesses/${businessId}/lead-webhooks`;

describe('lead webhook routes', () => {
  let h: Harness;
  let crm: WebhookReceiver;
  let owner: TestAccount;
  beforeAll(async () => {
    h = await startHarness('lead-webhooks-api', { withResend: true, env: { LEAD_WEBHOOK_INITIAL_RETRY_MS: '100' } });
    crm = await startWebhookReceiver();
    owner = await signUp(h.app);
  });
  afterAll(async () => {
    await h?.stop();
    await crm?.close();
  });

  it('creates an endpoint, shows its secret once and stores it encrypted', async () => {
    const created = await request(h.app)
      .post(base(owner.businessId))
      .set(owner.auth)
      .send({ url: 'https://crm.example.com/hooks/luxleads', events: ['lead.created'], description: 'HubSpot' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://crm.example.com/hooks/luxleads',
      events: ['lead.created'],
      status: 'active',
      description: 'HubSpot',
    });
    expect(created.body.secret).toMatch(/^whsec_/);
    const row = await h.models.LeadWebhook.findById(created.body.id).lean();
    expect(row!.secretSealed).not.toContain(created.body.secret);
    expect(decryptString(h.config.ENCRYPTION_KEY, row!.secretSealed, leadWebhookSecretContext(row!._id))).toBe(created.body.secret);

    const list = await request(h.app).get(base(owner.businessId)).set(owner.auth);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    expect(
      (
        await request(h.app)
          .delete(`${base(owner.businessId)}/${created.body.id}`)
          .set(owner.auth)
      ).status,
    ).toBe(204);
    expect(
      (
        await request(h.app)
          .delete(`${base(owner.businessId)}/${created.body.id}`)
          .set(owner.auth)
      ).status,
    ).toBe(404);
  });

  it('accepts only https URLs, plus http://127.0.0.1 outside production', async () => {
    const bad = await request(h.app).post(base(owner.businessId)).set(owner.auth).send({ url: 'http://crm.example.com/hook' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/body\.url: must be an https:\/\/ URL/);
    expect(webhookUrlSchema('test').safeParse('http://127.0.0.1:9000/x').success).toBe(true);
    expect(webhookUrlSchema('production').safeParse('http://127.0.0.1:9000/x').success).toBe(false);
    expect(webhookUrlSchema('production').safeParse('https://user:pw@crm.example.com/x').success).toBe(false);
    expect(webhookUrlSchema('production').safeParse('https://crm.example.com/x').success).toBe(true);
  });

  it('is for owners of this business only', async () => {
    const member = await addMember(h, owner, 'member');
    const stranger = await signUp(h.app);
    expect((await request(h.app).get(base(owner.businessId)).set(member.auth)).status).toBe(403);
    expect((await request(h.app).get(base(owner.businessId)).set(stranger.auth)).status).toBe(404);
    expect((await request(h.app).get(base(owner.businessId))).status).toBe(401);
  });

  it('logs deliveries and replays one on request', async () => {
    const created = await request(h.app).post(base(owner.businessId)).set(owner.auth).send({ url: crm.url });
    expect(created.status).toBe(201);
    const business = await h.models.Business.findById(owner.businessId).lean();
    await h.dispatcher.inbound({ businessId: owner.businessId, channel: 'web', contactId: 'sess-api' }, business!.publishableKey, {
      eventId: mid(),
      kind: 'message',
      text: "Hi, I'm Sam Taylor",
      at: Date.now(),
    });

    const deliveries = `${base(owner.businessId)}/${created.body.id}/deliveries`;
    const first = await eventually(
      async () => {
        const res = await request(h.app).get(deliveries).set(owner.auth);
        return res.body.data?.length === 1 ? res.body : undefined;
      },
      { what: 'first delivery logged' },
    );
    expect(first.data[0]).toMatchObject({
      attempt: 1,
      statusCode: 200,
      isDelivered: true,
      kind: 'attempt',
      type: 'lead.created',
      replayOf: null,
    });

    const replay = await request(h.app).post(`${deliveries}/${first.data[0].id}/replay`).set(owner.auth);
    expect(replay.status).toBe(202);
    expect(replay.body.eventId).toBe(first.data[0].eventId);
    await eventually(() => crm.received.length === 2, { what: 'replayed request' });
    const [original, again] = crm.received;
    expect(again!.headers['luxleads-event-id']).toBe(original!.headers['luxleads-event-id']);
    expect(verifyWebhook(created.body.secret, again!.rawBody, again!.headers['luxleads-signature']!, Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    const log = await eventually(
      async () => {
        const res = await request(h.app).get(deliveries).set(owner.auth);
        return res.body.data?.length === 2 ? res.body.data : undefined;
      },
      { what: 'replay logged' },
    );
    expect(log[0]).toMatchObject({ replayOf: first.data[0].id, isDelivered: true });

    expect((await request(h.app).post(`${deliveries}/whd_unknown/replay`).set(owner.auth)).status).toBe(404);
  });
});
