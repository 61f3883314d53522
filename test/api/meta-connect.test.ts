import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_COOKIE, issueOAuthState } from '../../api/meta-connect/oauth-state.js';
import { INSTAGRAM_LINK_PERMISSIONS, META_PERMISSION_NAMES, META_PERMISSIONS } from '../../api/meta-connect/permissions.js';
import { tokenHealthWorkflowId } from '../../workflows/token-health.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, TEST_APP_ID, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, signed, webhookBody } from '../helpers/meta-events.js';

const VILLAS = { id: '200000000000001', name: 'Lux Villas', token: 'PAGE-TOKEN-VILLAS-plaintext-0001', igId: '17841400000000201' };
const CARS = { id: '200000000000002', name: 'Lux Cars', token: 'PAGE-TOKEN-CARS-plaintext-0002' };
const ASID = '5550001';

let h: Harness;
let owner: TestAccount;
const callbackPath = '/api/v1/meta/oauth/callback';

beforeAll(async () => {
  h = await startHarness('meta-connect');
  owner = await signUp(h.app, { businessName: 'Lux Holidays' });
});
afterAll(async () => {
  await h?.stop();
});

/** POST /meta/connect → the dialog URL's state and the browser-binding cookie. */
const startConnect = async (acct: TestAccount) => {
  const res = await request(h.app).post(`/api/v1/businesses/${acct.businessId}/meta/connect`).set(acct.auth);
  expect(res.status).toBe(200);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${BINDING_COOKIE}=`));
  expect(cookie).toMatch(/HttpOnly/i);
  return {
    url: new URL(res.body.url as string),
    state: new URL(res.body.url as string).searchParams.get('state')!,
    cookie: cookie!.split(';')[0]!,
  };
};
const callback = (query: Record<string, string>, cookie?: string) => {
  const req = request(h.app).get(callbackPath).query(query).set('Accept', 'application/json');
  return cookie ? req.set('Cookie', cookie) : req;
};
const rawChannels = (businessId: string) => h.db.connection.db!.collection('channels').find({ businessId }).toArray();
const postSigned = (body: unknown) => {
  const { raw, signature } = signed(metaJson(body), TEST_APP_SECRET);
  return request(h.app).post('/webhooks/meta').set('content-type', 'application/json').set('x-hub-signature-256', signature).send(raw);
};
const sendsTo = (psid: string) => h.graph.messagesTo(psid);

describe('connecting Facebook Pages and Instagram', () => {
  let channels: { id: string; kind: string; externalId: string; pageId: string; status: string }[] = [];

  it("asks for exactly the privacy policy's four permissions (§6), each with the policy's purpose", () => {
    expect(META_PERMISSIONS.map((p) => p.name)).toEqual([
      'pages_messaging',
      'pages_manage_metadata',
      'pages_read_engagement',
      'instagram_manage_messages',
    ]);
    expect(META_PERMISSIONS.every((p) => p.purpose.startsWith('to '))).toBe(true);
  });

  it('walks login → callback → choose pages on exactly that grant, with no call that needs pages_show_list or instagram_basic', async () => {
    const { url, state, cookie } = await startConnect(owner);
    expect(url.origin + url.pathname).toBe('https://www.facebook.com/v25.0/dialog/oauth');
    expect(url.searchParams.get('client_id')).toBe(TEST_APP_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.config.PUBLIC_URL}${callbackPath}`);
    expect(url.searchParams.get('response_type')).toBe('code');
    const asked = url.searchParams.get('scope')!.split(',');
    expect(asked).toEqual([...META_PERMISSION_NAMES]);
    // The fake grants exactly what the dialog asked and refuses any call that needs more.
    h.graph.addOAuthUser({
      code: 'CODE-A',
      userId: ASID,
      redirectUri: `${h.config.PUBLIC_URL}${callbackPath}`,
      pages: [VILLAS, CARS],
      scopes: asked,
    });

    const cb = await callback({ code: 'CODE-A', state }, cookie);
    expect(cb.status).toBe(200);
    // Meta names a Page's Instagram account only to a grant holding instagram_basic and pages_show_list.
    expect(cb.body.pages).toEqual([
      { id: VILLAS.id, name: VILLAS.name, hasInstagram: false, canMessage: true },
      { id: CARS.id, name: CARS.name, hasInstagram: false, canMessage: true },
    ]);
    expect(JSON.stringify(cb.body)).not.toContain('PAGE-TOKEN');
    expect(h.graph.callsTo('GET', /\/oauth\/access_token$/)).toHaveLength(2);
    expect(h.graph.callsTo('GET', /\/debug_token$/).filter((c) => c.query.input_token?.startsWith('EAA'))).toHaveLength(1);
    expect(h.graph.callsTo('GET', /\/accounts$/)).toHaveLength(0);
    expect(
      h.graph
        .callsTo('GET', /\/\d+$/)
        .filter((c) => c.query.fields?.includes('access_token'))
        .map((c) => [c.path, c.query.fields]),
    ).toEqual([
      [`/v25.0/${VILLAS.id}`, 'id,name,access_token'],
      [`/v25.0/${CARS.id}`, 'id,name,access_token'],
    ]);
    const pendingRaw = await h.db.connection.db!.collection('pending_meta_connections').findOne({ _id: cb.body.pendingId });
    expect(JSON.stringify(pendingRaw)).not.toContain('PAGE-TOKEN');

    const listed = await request(h.app).get(`/api/v1/businesses/${owner.businessId}/meta/connections`).set(owner.auth);
    expect(listed.body.map((p: { pendingId: string }) => p.pendingId)).toEqual([cb.body.pendingId]);

    const chosen = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/meta/connections/${cb.body.pendingId}/pages`)
      .set(owner.auth)
      .send({ pageIds: [VILLAS.id, CARS.id] });
    expect(chosen.status).toBe(201);
    channels = chosen.body.data;
    expect(channels.map((c) => [c.kind, c.externalId, c.pageId, c.status])).toEqual([
      ['messenger', VILLAS.id, VILLAS.id, 'connected'],
      ['messenger', CARS.id, CARS.id, 'connected'],
    ]);
    const subscribes = h.graph.callsTo('POST', /\/subscribed_apps$/);
    expect(subscribes.map((c) => c.path)).toEqual([`/v25.0/${VILLAS.id}/subscribed_apps`, `/v25.0/${CARS.id}/subscribed_apps`]);
    expect(subscribes[0]!.query.subscribed_fields).toBe(
      'messages,messaging_postbacks,message_echoes,message_reads,message_deliveries,message_reactions,messaging_referrals,messaging_handovers,standby',
    );

    const raw = await rawChannels(owner.businessId);
    expect(raw).toHaveLength(2);
    expect(JSON.stringify(raw)).not.toContain('PAGE-TOKEN');
    for (const doc of raw) expect(doc.tokenSealed).toMatch(/^enc1:/);
    expect((await h.models.Business.findById(owner.businessId).lean())?.ownerAsid).toBe(ASID);
    expect((await h.models.User.findById(owner.userId).lean())?.metaAsid).toBe(ASID);
    expect(await h.models.PendingMetaConnection.countDocuments({ _id: cb.body.pendingId })).toBe(0);
    const health = await h.client.workflow.getHandle(tokenHealthWorkflowId(owner.businessId)).describe();
    expect(health.status.name).toBe('RUNNING');

    const list = await request(h.app).get(`/api/v1/businesses/${owner.businessId}/channels`).set(owner.auth);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toMatch(/PAGE-TOKEN|tokenSealed|enc1:/);
  });

  it("connects the linked Instagram account when the person's grant already holds instagram_basic and pages_show_list (we never ask for them)", async () => {
    const { url, state, cookie } = await startConnect(owner);
    const earlierGrant = [...url.searchParams.get('scope')!.split(','), ...INSTAGRAM_LINK_PERMISSIONS];
    h.graph.addOAuthUser({ code: 'CODE-A2', userId: ASID, pages: [VILLAS.id], scopes: earlierGrant });
    const cb = await callback({ code: 'CODE-A2', state }, cookie);
    expect(cb.body.pages).toEqual([{ id: VILLAS.id, name: VILLAS.name, hasInstagram: true, canMessage: true }]);
    expect(h.graph.callsTo('GET', new RegExp(`/${VILLAS.id}$`)).at(-1)?.query.fields).toBe(
      'id,name,access_token,instagram_business_account',
    );
    const chosen = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/meta/connections/${cb.body.pendingId}/pages`)
      .set(owner.auth)
      .send({ pageIds: [VILLAS.id] });
    expect(chosen.status).toBe(201);
    const [villasFb, villasIg] = chosen.body.data as typeof channels;
    expect(villasFb?.id).toBe(channels[0]!.id);
    expect(villasIg).toMatchObject({ kind: 'instagram', externalId: VILLAS.igId, pageId: VILLAS.id, status: 'connected' });
    channels = [villasFb!, villasIg!, channels[1]!];
  });

  it('routes webhook events for the new Page and Instagram account to this business and answers them', async () => {
    const fb = webhookBody('page', [
      { id: VILLAS.id, messaging: [messagingEvent({ pageId: VILLAS.id, senderId: 'psid-villas', text: 'Hi, is the villa free in May?' })] },
    ]);
    expect((await postSigned(fb)).status).toBe(200);
    await eventually(() => sendsTo('psid-villas').length > 0, { what: 'reply on the new Page' });
    const send = h.graph.callsTo('POST', new RegExp(`/${VILLAS.id}/messages$`)).find((c) => (c.body as { message?: unknown }).message);
    expect(send?.headers.authorization).toBe(`Bearer ${VILLAS.token}`);
    const conv = await h.models.Conversation.findOne({ contactId: 'psid-villas' }).lean();
    expect(conv?.businessId).toBe(owner.businessId);

    const ig = webhookBody('instagram', [
      { id: VILLAS.igId, messaging: [messagingEvent({ pageId: VILLAS.igId, senderId: 'igsid-villas', text: 'Prices for August?' })] },
    ]);
    expect((await postSigned(ig)).status).toBe(200);
    await eventually(() => sendsTo('igsid-villas').length > 0, { what: 'reply on the linked Instagram account' });
  });

  it('refuses with 409, before touching Meta, a Page that another business holds', async () => {
    const rival = await signUp(h.app, { businessName: 'Rival Rentals' });
    h.graph.addOAuthUser({ code: 'CODE-B', userId: '5550002', pages: [VILLAS.id] });
    const { state, cookie } = await startConnect(rival);
    const cb = await callback({ code: 'CODE-B', state }, cookie);
    expect(cb.status).toBe(200);
    const before = h.graph.callsTo('POST', /\/subscribed_apps$/).length;
    const res = await request(h.app)
      .post(`/api/v1/businesses/${rival.businessId}/meta/connections/${cb.body.pendingId}/pages`)
      .set(rival.auth)
      .send({ pageIds: [VILLAS.id] });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/another business/);
    expect(h.graph.callsTo('POST', /\/subscribed_apps$/)).toHaveLength(before);
    // And nobody but the person who logged in may use a pending connection.
    const stolen = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/meta/connections/${cb.body.pendingId}/pages`)
      .set(owner.auth)
      .send({ pageIds: [VILLAS.id] });
    expect(stolen.status).toBe(404);
  });

  it('keeps the pending connection when Meta fails part-way, so choosing again completes it', async () => {
    const third = await signUp(h.app, { businessName: 'Lux Boats' });
    const BOATS = { id: '200000000000003', name: 'Lux Boats', token: 'PAGE-TOKEN-BOATS-plaintext-0003' };
    h.graph.addOAuthUser({ code: 'CODE-C', userId: '5550005', pages: [BOATS] });
    const { state, cookie } = await startConnect(third);
    const cb = await callback({ code: 'CODE-C', state }, cookie);
    const choose = () =>
      request(h.app)
        .post(`/api/v1/businesses/${third.businessId}/meta/connections/${cb.body.pendingId}/pages`)
        .set(third.auth)
        .send({ pageIds: [BOATS.id] });
    h.graph.failNext({ method: 'POST', path: /\/subscribed_apps$/, status: 500 });
    const failed = await choose();
    expect(failed.status).toBe(503);
    expect(await h.models.PendingMetaConnection.countDocuments({ _id: cb.body.pendingId })).toBe(1);
    h.graph.failNext({
      method: 'POST',
      path: /\/subscribed_apps$/,
      status: 400,
      body: { error: { code: 200, message: '(#200) Permissions error' } },
    });
    expect((await choose()).body).toMatchObject({ status: 400, graphCode: 200 });
    const ok = await choose();
    expect(ok.status).toBe(201);
    expect(ok.body.data.map((c: { externalId: string }) => c.externalId)).toEqual([BOATS.id]);
    expect((await request(h.app).get(`/api/v1/businesses/${third.businessId}/channels`).set(third.auth)).body.data).toHaveLength(1);
  });

  it('disconnects: unsubscribes a Page once no channel needs it, revokes the grant once nothing uses it, forgets the token', async () => {
    const [villasFb, villasIg, cars] = channels as [(typeof channels)[0], (typeof channels)[0], (typeof channels)[0]];
    const del = (id: string) => request(h.app).delete(`/api/v1/businesses/${owner.businessId}/channels/${id}`).set(owner.auth);
    const unsubscribes = () => h.graph.callsTo('DELETE', /\/subscribed_apps$/).map((c) => c.path);
    const revokes = () => h.graph.callsTo('DELETE', /\/permissions$/).map((c) => c.path);

    const first = await del(cars.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ unsubscribed: true, revoked: false, channel: { status: 'disconnected' } });
    expect(unsubscribes()).toEqual([`/v25.0/${CARS.id}/subscribed_apps`]);
    expect(revokes()).toEqual([]);

    // Instagram still rides on the Villas Page subscription: the Page stays subscribed.
    expect((await del(villasFb.id)).body).toMatchObject({ unsubscribed: false, revoked: false });
    const last = await del(villasIg.id);
    expect(last.body).toMatchObject({ unsubscribed: true, revoked: true });
    expect(unsubscribes()).toEqual([`/v25.0/${CARS.id}/subscribed_apps`, `/v25.0/${VILLAS.id}/subscribed_apps`]);
    expect(revokes()).toEqual([`/v25.0/${ASID}/permissions`]);

    const raw = await rawChannels(owner.businessId);
    expect(raw.every((d) => d.status === 'disconnected' && d.disconnectedAt instanceof Date && d.tokenSealed === undefined)).toBe(true);
    expect((await del(cars.id)).status).toBe(200);
    expect(await h.models.AuditEntry.countDocuments({ businessId: owner.businessId, action: 'channel.disconnected' })).toBe(3);
  });

  it('after disconnecting, new messages to the Page get no reply and running threads cannot send', async () => {
    const repliedBefore = sendsTo('psid-villas').length;
    const fb = webhookBody('page', [
      { id: VILLAS.id, messaging: [messagingEvent({ pageId: VILLAS.id, senderId: 'psid-after', text: 'Hello?' })] },
    ]);
    expect((await postSigned(fb)).status).toBe(200);
    // The thread that already exists keeps its workflow: delivery refuses a channel that is not connected.
    const conv = (await h.models.Conversation.findOne({ contactId: 'psid-villas' }).lean())!;
    await h.dispatcher.inbound({ businessId: owner.businessId, channel: 'messenger', contactId: 'psid-villas' }, conv.channelId, {
      eventId: 'm-after-disconnect',
      kind: 'message',
      text: 'Still there?',
      at: Date.now(),
    });
    const refused = await eventually(
      () => h.models.Message.findOne({ conversationId: conv._id, statusReason: 'channel_unavailable' }).lean(),
      { what: 'reply refused for a disconnected channel' },
    );
    expect(refused.status).toBe('failed');
    expect(sendsTo('psid-villas')).toHaveLength(repliedBefore);
    expect(sendsTo('psid-after')).toHaveLength(0);
    expect(await h.models.Conversation.countDocuments({ contactId: 'psid-after' })).toBe(0);
  });
});

describe('OAuth state checks', () => {
  it('refuses a tampered, expired, reused or foreign-browser state with 400', async () => {
    h.graph.addOAuthUser({ code: 'CODE-S', userId: '5550003', pages: [] });
    const { state, cookie } = await startConnect(owner);
    const tampered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await callback({ code: 'CODE-S', state: tampered }, cookie)).body).toMatchObject({ status: 400, reason: 'bad_signature' });
    expect((await callback({ code: 'CODE-S', state }, `${BINDING_COOKIE}=someone-else`)).body).toMatchObject({
      status: 400,
      reason: 'browser_mismatch',
    });
    expect((await callback({ code: 'CODE-S', state })).body).toMatchObject({ status: 400, reason: 'browser_mismatch' });

    const old = issueOAuthState(
      h.config.ENCRYPTION_KEY,
      { businessId: owner.businessId, userId: owner.userId },
      Date.now() - 11 * 60 * 1000,
    );
    expect((await callback({ code: 'CODE-S', state: old.state }, `${BINDING_COOKIE}=${old.binding}`)).body).toMatchObject({
      status: 400,
      reason: 'expired',
    });

    const ok = await callback({ code: 'CODE-S', state }, cookie);
    expect(ok.status).toBe(200);
    expect(ok.body.pages).toEqual([]);
    const reused = await callback({ code: 'CODE-S', state }, cookie);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ reason: 'reused' });
    expect(reused.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers a cancelled login and a malformed query with 400, and sends browsers back to the web app', async () => {
    const { state, cookie } = await startConnect(owner);
    const cancelled = await callback({ error: 'access_denied', error_reason: 'user_denied', state }, cookie);
    expect(cancelled.status).toBe(400);
    expect(cancelled.body).toMatchObject({ reason: 'user_denied' });
    expect((await request(h.app).get(callbackPath).query({ code: 'x' })).status).toBe(400);
    const cancelledInBrowser = await request(h.app)
      .get(callbackPath)
      .query({ error: 'access_denied', state })
      .set('Cookie', cookie)
      .set('Accept', 'text/html');
    expect(cancelledInBrowser.status).toBe(303);
    expect(cancelledInBrowser.headers.location).toBe('/app/connect/facebook?error=meta-login-cancelled');

    h.graph.addOAuthUser({
      code: 'CODE-H',
      userId: '5550004',
      pages: [{ id: '200000000000009', name: '<script>alert(1)</script>', token: 'PAGE-TOKEN-HTML-0009' }],
    });
    const html = await request(h.app).get(callbackPath).query({ code: 'CODE-H', state }).set('Cookie', cookie).set('Accept', 'text/html');
    // The web app lists the Pages to choose (as text, never as markup); no token ever reaches the browser.
    expect(html.status).toBe(303);
    expect(html.headers.location).toMatch(/^\/app\/connect\/facebook\?pending=mpc_[\w-]+$/);
    expect(html.text).not.toContain('PAGE-TOKEN');
    const pendingId = new URL(html.headers.location!, h.config.PUBLIC_URL).searchParams.get('pending')!;
    const pending = await request(h.app).get(`/api/v1/businesses/${owner.businessId}/meta/connections/${pendingId}`).set(owner.auth);
    expect(pending.body.pages).toEqual([
      { id: '200000000000009', name: '<script>alert(1)</script>', hasInstagram: false, canMessage: true },
    ]);
    expect(pending.text).not.toContain('PAGE-TOKEN');
  });

  it('lets only owners start a connection and refuses other tenants', async () => {
    const stranger = await signUp(h.app);
    expect((await request(h.app).post(`/api/v1/businesses/${owner.businessId}/meta/connect`).set(stranger.auth)).status).toBe(404);
    expect((await request(h.app).get(`/api/v1/businesses/${owner.businessId}/channels`).set(stranger.auth)).status).toBe(404);
    expect((await request(h.app).post(`/api/v1/businesses/${owner.businessId}/meta/connect`)).status).toBe(401);
    const bad = await request(h.app)
      .post(`/api/v1/businesses/${owner.businessId}/meta/connections/mpc_doesnotexist000/pages`)
      .set(owner.auth)
      .send({ pageIds: ['abc'] });
    expect(bad.status).toBe(400);
  });
});
