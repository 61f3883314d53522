import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
const ORIGIN = 'http://127.0.0.1:3000';
beforeAll(async () => {
  h = await startHarness('widget-api');
});
afterAll(async () => {
  await h?.stop();
});

const startSession = async () => {
  const res = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: DEMO.publishableKey });
  expect(res.status).toBe(200);
  return res.body as { sessionId: string; cursor: string; config: { businessName: string; aiDisclosure: string } };
};
const send = (sessionId: string, text: string, clientMessageId = randomUUID()) =>
  request(h.app).post('/widget/v1/messages').set('origin', ORIGIN).send({ key: DEMO.publishableKey, sessionId, text, clientMessageId });

describe('widget API', () => {
  it('starts a session with the business config and an AI disclosure, with CORS for the allowed origin', async () => {
    const res = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: DEMO.publishableKey });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.body.config.businessName).toBe('Bright Smile Dental Clinic');
    expect(res.body.config.aiDisclosure).toBe("You're chatting with an automated assistant for Bright Smile Dental Clinic");
    expect(res.body.sessionId).toMatch(/^ws_/);
  });

  it('replaces a session id it did not issue', async () => {
    const res = await request(h.app)
      .post('/widget/v1/sessions')
      .set('origin', ORIGIN)
      .send({ key: DEMO.publishableKey, sessionId: 'ws_made-up' });
    expect(res.status).toBe(200);
    expect(res.body.sessionId).not.toBe('ws_made-up');
    const forged = await send('ws_AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB', 'hello');
    expect(forged.status).toBe(401);
  });

  it('sends a message, long-polls the reply, and keeps the history to its own session', async () => {
    const mine = await startSession();
    const other = await startSession();
    const clientMessageId = randomUUID();
    const sent = await send(mine.sessionId, 'What are your opening hours?', clientMessageId);
    expect(sent.status).toBe(202);
    expect(sent.body.message.clientMessageId).toBe(clientMessageId);
    // The same clientMessageId again is accepted and stored once.
    expect((await send(mine.sessionId, 'What are your opening hours?', clientMessageId)).status).toBe(202);

    let cursor = mine.cursor;
    const seen: { direction: string; text: string }[] = [];
    await eventually(
      async () => {
        const poll = await request(h.app)
          .get('/widget/v1/messages')
          .set('origin', ORIGIN)
          .query({ key: DEMO.publishableKey, sessionId: mine.sessionId, after: cursor, wait: 5 });
        expect(poll.status).toBe(200);
        cursor = poll.body.cursor;
        seen.push(...poll.body.messages);
        return seen.some((m) => m.direction === 'outbound');
      },
      { what: 'reply via long-poll' },
    );
    expect(seen.filter((m) => m.direction === 'inbound')).toHaveLength(1);

    const otherHistory = await request(h.app)
      .post('/widget/v1/sessions')
      .set('origin', ORIGIN)
      .send({ key: DEMO.publishableKey, sessionId: other.sessionId });
    expect(otherHistory.body.messages).toHaveLength(0);
    const mineAgain = await request(h.app)
      .post('/widget/v1/sessions')
      .set('origin', ORIGIN)
      .send({ key: DEMO.publishableKey, sessionId: mine.sessionId });
    expect(mineAgain.body.messages.length).toBe(2);
  });

  it('rejects bad input with problem documents', async () => {
    const s = await startSession();
    const empty = await send(s.sessionId, '   ');
    expect(empty.status).toBe(400);
    expect(empty.headers['content-type']).toMatch(/problem\+json/);
    expect((await send(s.sessionId, 'x'.repeat(2001))).status).toBe(400);
    const injected = await request(h.app)
      .post('/widget/v1/messages')
      .set('origin', ORIGIN)
      .send({ key: DEMO.publishableKey, sessionId: { $gt: '' }, text: 'hi', clientMessageId: randomUUID() });
    expect(injected.status).toBe(400);
    const unknownKey = await request(h.app).post('/widget/v1/sessions').set('origin', ORIGIN).send({ key: 'pk_nope_nope' });
    expect(unknownKey.status).toBe(403);
    const huge = await request(h.app)
      .post('/widget/v1/sessions')
      .set('origin', ORIGIN)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ key: DEMO.publishableKey, pad: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(413);
  });

  it('rate-limits a session that sends too fast', async () => {
    const s = await startSession();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await send(s.sessionId, `spam ${i}`)).status);
    expect(statuses.filter((c) => c === 202).length).toBeLessThanOrEqual(8);
    expect(statuses).toContain(429);
  });

  it('answers the CORS preflight', async () => {
    const res = await request(h.app)
      .options('/widget/v1/messages')
      .set('origin', 'https://shop.example')
      .set('access-control-request-method', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });

  it('serves the widget script small and cross-origin loadable', async () => {
    const res = await request(h.app).get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text.length).toBeLessThan(100_000);
  });
});
