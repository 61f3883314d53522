import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { graphErrorBody, startFakeGraph, type FakeGraph } from '../../../sandbox/fakes/graph.js';

const V = 'v25.0';
const PAGE = { id: '111', name: 'Lux Villas', token: 'PAGE_TOKEN_111', igId: '1784000111' };
const OTHER_PAGE = { id: '222', name: 'Other', token: 'PAGE_TOKEN_222' };

type GraphBody = Record<string, unknown> & {
  error?: { code: number; error_subcode?: number; type: string; message: string; fbtrace_id: string };
};

describe('fake Graph: Messenger / Instagram Send API', () => {
  let graph: FakeGraph;
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await fetch(`${graph.url}/${V}${path}`, {
      ...init,
      ...(init.json === undefined
        ? {}
        : { body: JSON.stringify(init.json), headers: { 'content-type': 'application/json', ...init.headers } }),
    });
    return { status: res.status, body: (await res.json()) as GraphBody };
  };
  const send = (path: string, json: unknown, token = PAGE.token) => call(`${path}?access_token=${token}`, { method: 'POST', json });

  beforeAll(async () => {
    graph = await startFakeGraph();
    graph.addPage(PAGE);
    graph.addPage(OTHER_PAGE);
  });
  afterAll(() => graph.close());
  beforeEach(() => graph.reset());

  it('sends a text message with the token in the query', async () => {
    const res = await send(`/${PAGE.id}/messages`, { recipient: { id: 'PSID1' }, messaging_type: 'RESPONSE', message: { text: 'Hello!' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ recipient_id: 'PSID1', message_id: expect.stringMatching(/^m_/) });
    expect(graph.messagesTo('PSID1')).toEqual(['Hello!']);
    expect(graph.sentMessages()[0]).toMatchObject({ channel: 'messenger', senderId: PAGE.id, messagingType: 'RESPONSE' });
  });

  it('accepts Authorization: Bearer and /me/messages', async () => {
    const res = await call('/me/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${PAGE.token}` },
      json: {
        recipient: { id: 'PSID2' },
        messaging_type: 'UPDATE',
        message: { attachment: { type: 'image', payload: { url: 'https://x/y.png' } } },
      },
    });
    expect(res.status).toBe(200);
    expect(graph.sentMessages()[0]).toMatchObject({ senderId: PAGE.id, recipientId: 'PSID2', attachment: { type: 'image' } });
  });

  it('accepts form-encoded bodies with JSON-string fields (any Graph version)', async () => {
    const res = await fetch(`${graph.url}/v19.0/${PAGE.id}/messages`, {
      method: 'POST',
      body: new URLSearchParams({
        access_token: PAGE.token,
        recipient: '{"id":"PSID3"}',
        messaging_type: 'RESPONSE',
        message: '{"text":"form hi"}',
      }),
    });
    expect(res.status).toBe(200);
    expect(graph.messagesTo('PSID3')).toEqual(['form hi']);
  });

  it('answers sender actions with recipient_id only and does not count them as messages', async () => {
    const res = await send(`/${PAGE.id}/messages`, { recipient: { id: 'PSID1' }, sender_action: 'typing_on' });
    expect(res).toEqual({ status: 200, body: { recipient_id: 'PSID1' } });
    expect(graph.sentMessages()).toEqual([]);
  });

  it.each([
    ['missing recipient', { messaging_type: 'RESPONSE', message: { text: 'x' } }, /recipient/],
    ['missing messaging_type', { recipient: { id: '1' }, message: { text: 'x' } }, /messaging_type/],
    ['bad messaging_type', { recipient: { id: '1' }, messaging_type: 'PROMO', message: { text: 'x' } }, /messaging_type/],
    ['MESSAGE_TAG without tag', { recipient: { id: '1' }, messaging_type: 'MESSAGE_TAG', message: { text: 'x' } }, /tag/],
    ['neither message nor action', { recipient: { id: '1' }, messaging_type: 'RESPONSE' }, /either message or state/],
    [
      'both message and action',
      { recipient: { id: '1' }, sender_action: 'typing_on', messaging_type: 'RESPONSE', message: { text: 'x' } },
      /sender_action/,
    ],
    ['empty message', { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: {} }, /text or attachment/],
    ['text over 2000 chars', { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'a'.repeat(2001) } }, /2000/],
    ['bad sender_action', { recipient: { id: '1' }, sender_action: 'dance' }, /sender_action/],
  ])('rejects %s with OAuthException code 100', async (_name, body, message) => {
    const res = await send(`/${PAGE.id}/messages`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'OAuthException',
      code: 100,
      message: expect.stringMatching(message),
      fbtrace_id: expect.any(String),
    });
    expect(graph.sentMessages()).toEqual([]);
  });

  it('allows exactly 2000 characters on Messenger', async () => {
    const res = await send(`/${PAGE.id}/messages`, {
      recipient: { id: '1' },
      messaging_type: 'RESPONSE',
      message: { text: 'é'.repeat(2000) },
    });
    expect(res.status).toBe(200);
  });

  it('limits Instagram text to 1000 bytes when sending as the IG account', async () => {
    const ok = await send(`/${PAGE.igId}/messages`, {
      recipient: { id: 'IGSID1' },
      messaging_type: 'RESPONSE',
      message: { text: 'a'.repeat(1000) },
    });
    expect(ok.status).toBe(200);
    // 600 two-byte characters = 1200 bytes: fine on Messenger, too long for IG.
    const tooLong = await send(`/${PAGE.igId}/messages`, {
      recipient: { id: 'IGSID1' },
      messaging_type: 'RESPONSE',
      message: { text: 'é'.repeat(600) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 100, message: expect.stringMatching(/1000 bytes/) });
    expect(graph.sentMessages()).toEqual([expect.objectContaining({ channel: 'instagram', senderId: PAGE.igId })]);
  });

  it('reports an unknown token as 190 and an invalidated one as 190/460', async () => {
    const unknown = await send(
      `/${PAGE.id}/messages`,
      { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'x' } },
      'nope',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(unknown.body.error?.error_subcode).toBeUndefined();

    graph.invalidateToken(OTHER_PAGE.token);
    const revoked = await send(
      `/${OTHER_PAGE.id}/messages`,
      { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'x' } },
      OTHER_PAGE.token,
    );
    expect(revoked.status).toBe(400);
    expect(revoked.body.error).toMatchObject({ code: 190, error_subcode: 460 });
    expect(graph.isTokenValid(OTHER_PAGE.token)).toBe(false);
  });

  it("reports a missing token as 104 and another Page's token as 100/33", async () => {
    const missing = await call(`/${PAGE.id}/messages`, {
      method: 'POST',
      json: { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'x' } },
    });
    expect(missing.body.error).toMatchObject({ code: 104 });
    const wrongPage = await send(`/${OTHER_PAGE.id}/messages`, {
      recipient: { id: '1' },
      messaging_type: 'RESPONSE',
      message: { text: 'x' },
    });
    expect(wrongPage.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('injects Graph-shaped faults, including custom error bodies', async () => {
    graph.failNext({ path: /\/messages$/, status: 500 });
    graph.failNext({
      path: /\/messages$/,
      status: 400,
      body: graphErrorBody({ code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }),
    });
    const msg = { recipient: { id: 'PSID9' }, messaging_type: 'RESPONSE', message: { text: 'retry me' } };
    const first = await send(`/${PAGE.id}/messages`, msg);
    expect(first.status).toBe(500);
    expect(first.body.error).toMatchObject({ code: 2, type: 'OAuthException' });
    const second = await send(`/${PAGE.id}/messages`, msg);
    expect(second.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
    const third = await send(`/${PAGE.id}/messages`, msg);
    expect(third.status).toBe(200);
    expect(graph.messagesTo('PSID9')).toEqual(['retry me']);
    expect(graph.callsTo('POST', /\/messages$/)).toHaveLength(3);
  });

  it('can require appsecret_proof', async () => {
    const strict = await startFakeGraph({ requireAppSecretProof: true, appSecret: 's3cret' });
    try {
      strict.addPage(PAGE);
      const body = { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'x' } };
      const post = (qs: string) =>
        fetch(`${strict.url}/${V}/me/messages?${qs}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const without = await post(`access_token=${PAGE.token}`);
      expect(((await without.json()) as GraphBody).error?.message).toMatch(/appsecret_proof/);
      const proof = createHmac('sha256', 's3cret').update(PAGE.token).digest('hex');
      expect((await post(`access_token=${PAGE.token}&appsecret_proof=${proof}`)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('answers unknown paths with a 404 Graph error and records every call', async () => {
    const res = await call('/111/insights_nope/deep?access_token=x');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 2500, type: 'OAuthException' });
    const unversioned = await fetch(`${graph.url}/me/messages`, { method: 'POST' });
    expect(unversioned.status).toBe(404);
    expect(graph.calls.map((c) => c.path)).toEqual([`/${V}/111/insights_nope/deep`, '/me/messages']);
  });
});
