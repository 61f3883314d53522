import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyWhatsAppError, createWhatsAppClient, WhatsAppError } from '../../integrations/whatsapp.js';
import { startFakeGraph, type FakeGraph } from '../../sandbox/fakes/graph.js';

/** A loopback port nothing listens on (connection refused). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const TOKEN = 'wa-test-token-0123456789';
const template = (bodyParams: string[]) => ({ name: 'new_lead_alert', language: 'en_US', bodyParams });
const SIX = ['Clinic', 'Sam', 'Messenger', 'New lead: check-up', 'normal', 'http://127.0.0.1:3000/app/leads/lead_1'];

const failureOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WhatsAppError);
  return err as WhatsAppError;
};

describe('WhatsApp client against the fake Cloud API', () => {
  let graph: FakeGraph;
  const client = () => createWhatsAppClient({ baseUrl: graph.url, version: 'v25.0', phoneNumberId: '1065', accessToken: TOKEN });
  beforeAll(async () => {
    graph = await startFakeGraph({ whatsAppToken: TOKEN });
    graph.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 6 });
  });
  afterAll(async () => {
    await graph?.close();
  });

  it('sends a template with body parameters in order and returns the wamid', async () => {
    const sent = await client().sendTemplate('+44 7700 900001', template(SIX));
    expect(sent.messageId).toMatch(/^wamid\./);
    expect(graph.whatsAppMessages().at(-1)).toMatchObject({
      to: '+44 7700 900001',
      type: 'template',
      template: { name: 'new_lead_alert', language: 'en_US', parameters: SIX },
    });
    expect(graph.calls.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(graph.calls.at(-1)!.path).toBe('/v25.0/1065/messages');
  });

  it('classifies what Meta answers', async () => {
    graph.markNumberInvalid('+447700900666');
    expect((await failureOf(client().sendTemplate('+447700900666', template(SIX)))).kind).toBe('invalid_number');
    expect(await failureOf(client().sendTemplate('+447700900001', template(SIX.slice(0, 5))))).toMatchObject({
      kind: 'template_mismatch',
      code: 132000,
    });
    expect(await failureOf(client().sendTemplate('+447700900001', { ...template(SIX), name: 'no_such_template' }))).toMatchObject({
      kind: 'template_mismatch',
      code: 132001,
    });
    expect(await failureOf(client().sendText('+447700900001', 'hello'))).toMatchObject({ kind: 'window_closed', code: 131047 });
    graph.failNext({ method: 'POST', status: 500 });
    expect((await failureOf(client().sendTemplate('+447700900001', template(SIX)))).isRetryable).toBe(true);
    graph.failNext({ method: 'POST', status: 400, body: { error: { code: 131056, message: 'pair rate limit' } } });
    expect((await failureOf(client().sendTemplate('+447700900001', template(SIX)))).kind).toBe('retryable');
    const bad = createWhatsAppClient({ baseUrl: graph.url, version: 'v25.0', phoneNumberId: '1065', accessToken: 'wrong-token-123456' });
    expect(await failureOf(bad.sendTemplate('+447700900001', template(SIX)))).toMatchObject({ kind: 'token_invalid', code: 190 });
  });

  it('treats a refused connection as safe to retry and a timeout as an unknown outcome', async () => {
    const refused = createWhatsAppClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      version: 'v25.0',
      phoneNumberId: '1065',
      accessToken: TOKEN,
    });
    expect((await failureOf(refused.sendTemplate('+447700900001', template(SIX)))).kind).toBe('retryable');
    graph.failNext({ method: 'POST', status: 200, delayMs: 1_000 });
    const impatient = createWhatsAppClient({
      baseUrl: graph.url,
      version: 'v25.0',
      phoneNumberId: '1065',
      accessToken: TOKEN,
      timeoutMs: 100,
    });
    expect((await failureOf(impatient.sendTemplate('+447700900001', template(SIX)))).kind).toBe('outcome_unknown');
  });

  it('reads code 100 as a bad number only when Meta says it is about the recipient', () => {
    expect(classifyWhatsAppError(400, 100, '(#100) Invalid parameter Invalid WhatsApp ID for parameter to')).toBe('invalid_number');
    expect(classifyWhatsAppError(400, 100, 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces')).toBe(
      'rejected',
    );
    expect(classifyWhatsAppError(400, 80007)).toBe('retryable');
    expect(classifyWhatsAppError(503, undefined)).toBe('retryable');
  });
});
