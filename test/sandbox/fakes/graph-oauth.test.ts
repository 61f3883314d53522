import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../../../sandbox/fakes/graph.js';
import { DEFAULT_SCOPES } from '../../../sandbox/fakes/graph-oauth.js';

const V = 'v25.0';
const APP_ID = '1000000000000001';
const APP_SECRET = 'app-secret';
const REDIRECT = 'http://127.0.0.1:3000/connect/meta/callback';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions poke into responses

describe('fake Graph: Facebook Login onboarding', () => {
  let graph: FakeGraph;
  const get = async (path: string, query: Record<string, string>, method = 'GET') => {
    const res = await fetch(`${graph.url}/${V}${path}?${new URLSearchParams(query)}`, { method });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    graph = await startFakeGraph({ appId: APP_ID, appSecret: APP_SECRET });
    graph.addPage({ id: '900', name: 'Existing Page', token: 'PAGE_900' });
    graph.addOAuthUser({
      code: 'CODE-1',
      userId: 'ASID-1',
      redirectUri: REDIRECT,
      pages: ['900', { id: '901', name: 'Lux Villas', token: 'PAGE_901', igId: '1784901' }],
    });
    graph.addIdsForPages('ASID-1', [{ psid: 'PSID-A', pageId: '901' }]);
    graph.addPage({ id: '902', name: 'Not picked', token: 'PAGE_902' });
  });

  afterAll(() => graph.close());

  /** Code → long-lived user token for a person set up with addOAuthUser. */
  const loginAs = async (code: string) => {
    const short = await get('/oauth/access_token', { client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: REDIRECT, code });
    const long = await get('/oauth/access_token', {
      grant_type: 'fb_exchange_token',
      client_id: APP_ID,
      client_secret: APP_SECRET,
      fb_exchange_token: short.body.access_token,
    });
    return long.body.access_token as string;
  };

  it('walks code → short token → long token → a picked Page by id → subscribe → revoke, refusing what the grant lacks', async () => {
    const short = await get('/oauth/access_token', {
      client_id: APP_ID,
      client_secret: APP_SECRET,
      redirect_uri: REDIRECT,
      code: 'CODE-1',
    });
    expect(short.status).toBe(200);
    expect(short.body).toMatchObject({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });

    const reused = await get('/oauth/access_token', {
      client_id: APP_ID,
      client_secret: APP_SECRET,
      redirect_uri: REDIRECT,
      code: 'CODE-1',
    });
    expect(reused.body.error).toMatchObject({ code: 100, error_subcode: 36009 });

    const long = await get('/oauth/access_token', {
      grant_type: 'fb_exchange_token',
      client_id: APP_ID,
      client_secret: APP_SECRET,
      fb_exchange_token: short.body.access_token,
    });
    expect(long.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 5183944 });
    const userToken = long.body.access_token as string;

    // The policy's four permissions (the default grant): each picked Page by id.
    expect([...DEFAULT_SCOPES].sort()).toEqual([
      'instagram_manage_messages',
      'pages_manage_metadata',
      'pages_messaging',
      'pages_read_engagement',
    ]);
    const byId = await get('/901', { access_token: userToken, fields: 'id,name,access_token' });
    expect(byId.body).toEqual({ id: '901', name: 'Lux Villas', access_token: 'PAGE_901' });
    expect((await get('/902', { access_token: userToken, fields: 'id,name,access_token' })).body).toEqual({
      id: '902',
      name: 'Not picked',
    });
    const igLink = await get('/901', { access_token: userToken, fields: 'id,name,access_token,instagram_business_account' });
    expect(igLink.body.error).toMatchObject({ code: 10, message: expect.stringContaining('instagram_basic and pages_show_list') });

    const page = await get('/901', { access_token: 'PAGE_901', fields: 'instagram_business_account,name' });
    expect(page.body).toEqual({ id: '901', name: 'Lux Villas', instagram_business_account: { id: '1784901' } });
    const unlinked = await get('/900', { access_token: 'PAGE_900', fields: 'instagram_business_account' });
    expect(unlinked.body).toEqual({ id: '900' });

    const fields = 'messages,messaging_postbacks,message_echoes';
    expect((await get('/901/subscribed_apps', { access_token: 'PAGE_901', subscribed_fields: fields }, 'POST')).body).toEqual({
      success: true,
    });
    expect((await get('/901/subscribed_apps', { access_token: 'PAGE_901' })).body).toEqual({
      data: [{ id: APP_ID, name: expect.any(String), subscribed_fields: ['messages', 'messaging_postbacks', 'message_echoes'] }],
    });
    const userTokenForPageEdge = await get('/901/subscribed_apps', { access_token: userToken, subscribed_fields: fields }, 'POST');
    expect(userTokenForPageEdge.body.error).toMatchObject({ code: 210 });
    const igOnlyField = await get(
      '/901/subscribed_apps',
      { access_token: 'PAGE_901', subscribed_fields: 'messages,messaging_seen' },
      'POST',
    );
    expect(igOnlyField.body.error).toMatchObject({ code: 100, message: expect.stringContaining('subscribed_fields[1]') });
    expect((await get('/901/subscribed_apps', { access_token: 'PAGE_901' }, 'DELETE')).body).toEqual({ success: true });
    expect((await get('/901/subscribed_apps', { access_token: 'PAGE_901' })).body).toEqual({ data: [] });

    const debug = await get('/debug_token', { input_token: 'PAGE_901', access_token: `${APP_ID}|${APP_SECRET}` });
    expect(debug.body.data).toMatchObject({
      app_id: APP_ID,
      type: 'PAGE',
      is_valid: true,
      expires_at: 0,
      user_id: 'ASID-1',
      profile_id: '901',
      scopes: expect.arrayContaining(['pages_messaging']),
    });
    const debugUser = await get('/debug_token', { input_token: userToken, access_token: `${APP_ID}|${APP_SECRET}` });
    expect(debugUser.body.data).toMatchObject({ type: 'USER', is_valid: true, user_id: 'ASID-1' });
    expect(debugUser.body.data.granular_scopes).toEqual(
      expect.arrayContaining([
        { scope: 'pages_messaging', target_ids: ['900', '901'] },
        { scope: 'instagram_manage_messages', target_ids: ['1784901'] },
      ]),
    );
    expect(debugUser.body.data.expires_at).toBeGreaterThan(Date.now() / 1000);

    expect((await get('/ASID-1/permissions', { access_token: userToken }, 'DELETE')).body).toEqual({ success: true });
    const afterRevoke = await get('/901', { access_token: userToken, fields: 'access_token' });
    expect(afterRevoke.body.error).toMatchObject({ code: 190, error_subcode: 460 });
    const debugAfter = await get('/debug_token', { input_token: 'PAGE_901', access_token: `${APP_ID}|${APP_SECRET}` });
    expect(debugAfter.body.data.is_valid).toBe(false);
  });

  it('rejects a wrong secret, unknown code and mismatched redirect_uri', async () => {
    graph.addOAuthUser({ code: 'CODE-2', userId: 'ASID-2', redirectUri: REDIRECT, pages: [] });
    const base = { client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: REDIRECT };
    expect((await get('/oauth/access_token', { ...base, client_secret: 'wrong', code: 'CODE-2' })).body.error).toMatchObject({
      code: 100,
      type: 'OAuthException',
    });
    expect((await get('/oauth/access_token', { ...base, code: 'NOPE' })).body.error).toMatchObject({ code: 100 });
    expect((await get('/oauth/access_token', { ...base, redirect_uri: 'http://evil/cb', code: 'CODE-2' })).body.error).toMatchObject({
      code: 100,
      error_subcode: 36008,
    });
    const badExchange = await get('/oauth/access_token', {
      grant_type: 'fb_exchange_token',
      client_id: APP_ID,
      client_secret: APP_SECRET,
      fb_exchange_token: 'garbage',
    });
    expect(badExchange.status).toBe(400);
    expect(badExchange.body.error).toMatchObject({ code: 190 });
  });

  it('reports unknown tokens as invalid in debug_token and needs the app token', async () => {
    const unknown = await get('/debug_token', { input_token: 'garbage', access_token: `${APP_ID}|${APP_SECRET}` });
    expect(unknown.body.data).toMatchObject({ is_valid: false });
    const badApp = await get('/debug_token', { input_token: 'PAGE_900', access_token: `${APP_ID}|wrong` });
    expect(badApp.body.error).toMatchObject({ code: 190 });
  });

  it('reads the linked Instagram account only for a person who granted pages_show_list and instagram_basic', async () => {
    graph.addOAuthUser({
      code: 'CODE-FULL',
      userId: 'ASID-3',
      redirectUri: REDIRECT,
      pages: ['901'],
      scopes: [...DEFAULT_SCOPES, 'pages_show_list', 'instagram_basic'],
    });
    const userToken = await loginAs('CODE-FULL');
    expect((await get('/901', { access_token: userToken, fields: 'instagram_business_account' })).body).toEqual({
      id: '901',
      instagram_business_account: { id: '1784901' },
    });
  });

  it('maps an ASID to page-scoped ids, page by page', async () => {
    const res = await get('/ASID-1/ids_for_pages', { access_token: `${APP_ID}|${APP_SECRET}` });
    expect(res.body.data).toEqual([{ id: 'PSID-A', page: { id: '901', name: 'Lux Villas' } }]);
    expect(res.body.paging.next).toBeUndefined();

    graph.addIdsForPages(
      'ASID-MANY',
      [1, 2, 3].map((n) => ({ psid: `PSID-${n}`, pageId: '900' })),
    );
    const first = await get('/ASID-MANY/ids_for_pages', { access_token: `${APP_ID}|${APP_SECRET}`, limit: '2' });
    expect(first.body.data.map((d: Json) => d.id)).toEqual(['PSID-1', 'PSID-2']);
    expect(first.body.paging.next).toEqual(expect.any(String));
    const second = await get('/ASID-MANY/ids_for_pages', {
      access_token: `${APP_ID}|${APP_SECRET}`,
      limit: '2',
      after: first.body.paging.cursors.after,
    });
    expect(second.body.data.map((d: Json) => d.id)).toEqual(['PSID-3']);
    expect(second.body.paging.next).toBeUndefined();
  });

  it('answers unknown object ids with 100/33', async () => {
    const res = await get('/424242', { access_token: `${APP_ID}|${APP_SECRET}` });
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
