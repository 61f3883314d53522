import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../../../sandbox/fakes/graph.js';

const PHONE_NUMBER_ID = '555000111';
const WA_TOKEN = 'WA_SYSTEM_USER_TOKEN';
const OWNER = '+44 7700 900123';

type WaError = { error?: { code: number; type: string; message: string; error_data: { messaging_product: string; details: string } } };

const template = (params: string[], name = 'new_lead_alert', language = 'en_US') => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: OWNER,
  type: 'template',
  template: {
    name,
    language: { code: language },
    components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }],
  },
});

describe('fake Graph: WhatsApp Cloud API', () => {
  let graph: FakeGraph;
  const post = async (body: unknown, token = WA_TOKEN) => {
    const res = await fetch(`${graph.url}/v25.0/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as WaError & Record<string, unknown> };
  };

  beforeAll(async () => {
    graph = await startFakeGraph({ whatsAppToken: WA_TOKEN });
    graph.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 2 });
  });
  afterAll(() => graph.close());
  beforeEach(() => graph.reset());

  it('sends an approved template', async () => {
    const res = await post(template(['Jane Doe', 'Instagram']));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: OWNER, wa_id: '447700900123' }],
      messages: [{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }],
    });
    expect(graph.whatsAppMessages()).toEqual([
      expect.objectContaining({
        phoneNumberId: PHONE_NUMBER_ID,
        type: 'template',
        template: { name: 'new_lead_alert', language: 'en_US', parameters: ['Jane Doe', 'Instagram'] },
      }),
    ]);
  });

  it('rejects a parameter count mismatch with 132000', async () => {
    const res = await post(template(['Jane Doe']));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 132000, type: 'OAuthException', error_data: { messaging_product: 'whatsapp' } });
  });

  it('rejects an unknown template or language with 404 / 132001', async () => {
    expect((await post(template(['a', 'b'], 'nope'))).body.error?.code).toBe(132001);
    const wrongLanguage = await post(template(['a', 'b'], 'new_lead_alert', 'de_DE'));
    expect(wrongLanguage.status).toBe(404);
    expect(wrongLanguage.body.error?.code).toBe(132001);
  });

  it('rejects template params with newlines (a lead message pasted as-is)', async () => {
    const res = await post(template(['Jane\nDoe', 'Instagram']));
    expect(res.body.error).toMatchObject({ code: 100, error_data: { details: expect.stringMatching(/new-line/) } });
  });

  it('rejects numbers marked invalid with 131026, whatever their formatting', async () => {
    graph.markNumberInvalid('+447700900123');
    try {
      const res = await post(template(['a', 'b']));
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe(131026);
    } finally {
      graph.state.whatsApp.invalidNumbers.clear();
    }
  });

  it('only allows free-form text inside the customer service window', async () => {
    const text = { messaging_product: 'whatsapp', to: OWNER, type: 'text', text: { body: 'New lead: Jane' } };
    const closed = await post(text);
    expect(closed.status).toBe(400);
    expect(closed.body.error).toMatchObject({ code: 131047, message: 'Re-engagement message' });
    graph.openWindow('+447700900123');
    expect((await post(text)).status).toBe(200);
    graph.closeWindow(OWNER);
    expect((await post(text)).body.error?.code).toBe(131047);
    expect(graph.whatsAppMessages().map((m) => m.text)).toEqual(['New lead: Jane']);
  });

  it('needs the configured Bearer token (401 / 190)', async () => {
    const wrong = await post(template(['a', 'b']), 'PAGE_TOKEN');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe(190);
    expect((await post(template(['a', 'b']), '')).status).toBe(401);
  });

  it('fails with 190 after the WhatsApp token is invalidated', async () => {
    const other = await startFakeGraph({ whatsAppToken: 'T1' });
    try {
      other.setTemplate({ name: 'new_lead_alert', language: 'en_US', paramCount: 2 });
      other.invalidateToken('T1');
      const res = await fetch(`${other.url}/v25.0/1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer T1' },
        body: JSON.stringify(template(['a', 'b'])),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as WaError).error?.code).toBe(190);
    } finally {
      await other.close();
    }
  });
});
