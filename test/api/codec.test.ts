import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecRouter } from '../../api/routes/codec.js';
import { codecUiEndpoint } from '../../lib/codec-ui-key.js';
import { errorHandler } from '../../api/errors.js';
import { DEMO } from '../../domain/demo-seed.js';
import { EncryptionCodec } from '../../temporal/codec.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

const OPS_TOKEN = 'ops-token-for-the-codec-endpoint-0123';
const UI = 'http://127.0.0.1:8233';

/** Bytes (raw or already base64 through proto toJSON) also shown as the text they hold, so a plaintext search sees payloads. */
const asText = (_key: string, value: unknown) => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string' && value.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value))
    return `${value}|${Buffer.from(value, 'base64').toString('utf8')}`;
  return value;
};

describe('codec endpoint and encrypted history', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('codec-endpoint', { env: { OPS_TOKEN, TEMPORAL_UI_URL: UI } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const jsonPayload = (value: unknown) => {
    const p = defaultPayloadConverter.toPayload(value);
    return {
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    };
  };

  it('round-trips payloads through /codec/encode and /codec/{namespace}/decode', async () => {
    const original = [jsonPayload({ text: 'secret message 42' }), jsonPayload('plain')];
    const encoded = await request(h.app)
      .post('/codec/encode')
      .set('Authorization', `Bearer ${OPS_TOKEN}`)
      .set('X-Namespace', 'default')
      .send({ payloads: original });
    expect(encoded.status).toBe(200);
    const encodedText = JSON.stringify(encoded.body);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(encodedText).not.toContain(Buffer.from(JSON.stringify({ text: 'secret message 42' })).toString('base64'));

    const decoded = await request(h.app).post('/codec/default/decode').set('Authorization', `Bearer ${OPS_TOKEN}`).send(encoded.body);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: original });
  });

  it('refuses calls without the ops token, and malformed bodies with 400', async () => {
    const body = { payloads: [jsonPayload('x')] };
    expect((await request(h.app).post('/codec/decode').send(body)).status).toBe(401);
    expect((await request(h.app).post('/codec/decode').set('Authorization', 'Bearer wrong-token').send(body)).status).toBe(401);
    expect((await request(h.app).post('/codec/decode').set('Authorization', `Bearer ${OPS_TOKEN}`).send({ nope: true })).status).toBe(400);
    const tampered = {
      payloads: [
        {
          metadata: {
            encoding: Buffer.from('binary/encrypted').toString('base64'),
            'encryption-key-id': Buffer.from('t1').toString('base64'),
          },
          data: Buffer.from('not really ciphertext, long enough to try').toString('base64'),
        },
      ],
    };
    expect((await request(h.app).post('/codec/decode').set('Authorization', `Bearer ${OPS_TOKEN}`).send(tampered)).status).toBe(400);
  });

  it('answers the CORS preflight for the Temporal UI origin only', async () => {
    const ok = await request(h.app)
      .options('/codec/default/decode')
      .set('Origin', UI)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace,authorization');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-headers']).toMatch(/x-namespace/);
    expect(ok.headers['access-control-allow-headers']).toMatch(/authorization/);
    const other = await request(h.app)
      .options('/codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is disabled with 503 when OPS_TOKEN is not set', async () => {
    const app = express()
      .use(codecRouter({ config: { ...h.config, OPS_TOKEN: undefined }, log: h.log }))
      .use(errorHandler(h.log));
    expect((await request(app).post('/codec/decode').set('Authorization', 'Bearer anything-at-all').send({ payloads: [] })).status).toBe(
      503,
    );
  });

  it('never trusts an Origin header: a loopback call carrying the UI origin still needs the token, in every environment', async () => {
    for (const NODE_ENV of ['development', 'test'] as const) {
      const app = express()
        .use(codecRouter({ config: { ...h.config, NODE_ENV, OPS_TOKEN }, log: h.log }))
        .use(errorHandler(h.log));
      const forged = await request(app).post('/codec/decode').set('Origin', UI).send({ payloads: [] });
      expect(forged.status, NODE_ENV).toBe(401);
    }
  });

  it('gives the local dev UI a secret codec path derived from OPS_TOKEN, in development only', async () => {
    const devApp = express()
      .use(codecRouter({ config: { ...h.config, NODE_ENV: 'development', OPS_TOKEN }, log: h.log }))
      .use(errorHandler(h.log));
    const endpoint = codecUiEndpoint('http://127.0.0.1:3000', OPS_TOKEN);
    const path = new URL(endpoint).pathname;
    expect(path).toMatch(/^\/codec\/ui\/[0-9a-f]{40}$/);
    expect(path).not.toContain(OPS_TOKEN);
    expect((await request(devApp).post(`${path}/decode`).send({ payloads: [] })).status).toBe(200);
    expect(
      (
        await request(devApp)
          .post(`/codec/ui/${'0'.repeat(40)}/decode`)
          .send({ payloads: [] })
      ).status,
    ).toBe(404);
    // Not in test or production, where the bearer token is the only way in.
    expect((await request(h.app).post(`${path}/decode`).send({ payloads: [] })).status).toBe(404);
  });

  it('keeps message text out of the raw workflow history', async () => {
    const text = 'My confidential question about tooth 36, reach me at history-check@example.com';
    const key = { businessId: DEMO.businessId, channel: 'messenger' as const, contactId: 'psid-history' };
    await h.dispatcher.inbound(key, 'ch_demo_messenger', { eventId: mid(), kind: 'message', text, at: Date.now() });
    await eventually(() => h.graph.messagesTo('psid-history').length === 1, { what: 'reply' });
    const workflowId = h.dispatcher.workflowIdFor(key);

    const raw = new Client({ connection: h.client.connection, namespace: h.config.TEMPORAL_NAMESPACE });
    // The raw gRPC answer: payload bytes exactly as the server stores them.
    const { history } = await raw.workflowService.getWorkflowExecutionHistory({
      namespace: h.config.TEMPORAL_NAMESPACE,
      execution: { workflowId },
    });
    const dump = JSON.stringify(history, asText);
    expect(dump).toContain('binary/encrypted');
    expect(dump).not.toContain('confidential question');
    expect(dump).not.toContain('history-check@example.com');

    // The same history does hold the text once decoded with the key: the check above is not vacuous.
    const signalled = history?.events?.find((e) => e.workflowExecutionSignaledEventAttributes)?.workflowExecutionSignaledEventAttributes;
    const decoded = await new EncryptionCodec(h.config.ENCRYPTION_KEY).decode(signalled!.input!.payloads! as never);
    expect(JSON.stringify(decoded, asText)).toContain('confidential question');
  });
});
