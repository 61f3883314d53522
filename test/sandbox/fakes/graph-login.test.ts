/** The sandbox's stand-in for Facebook Login: consent page, then back to the app's callback with a code the fake Graph exchanges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../../../sandbox/fakes/graph.js';
import { SANDBOX_LOGIN_USER } from '../../../sandbox/fakes/graph-login.js';

const APP = { appId: '1000000000000777', appSecret: 'sandbox-secret-777' };
const PAGE = { id: '100000000000777', name: 'Sandbox <Villas>', token: 'sandbox-page-token-777' };
const CALLBACK = 'http://127.0.0.1:3000/api/v1/meta/oauth/callback';
let graph: FakeGraph;

beforeAll(async () => {
  graph = await startFakeGraph({ ...APP, acceptAnyToken: true, loginPages: [PAGE] });
});
afterAll(async () => {
  await graph?.close();
});

const dialogQuery = (extra: Record<string, string> = {}) =>
  new URLSearchParams({
    client_id: APP.appId,
    redirect_uri: CALLBACK,
    state: 'st4te',
    scope: 'pages_messaging,pages_manage_metadata',
    ...extra,
  });

describe('sandbox Facebook Login dialog', () => {
  it('shows the permissions asked for and the Pages, escaped', async () => {
    const res = await fetch(`${graph.url}/v25.0/dialog/oauth?${dialogQuery()}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<code>pages_messaging</code>');
    expect(html).toContain('Sandbox &#60;Villas&#62;');
    expect((await fetch(`${graph.url}/v25.0/dialog/oauth?${dialogQuery({ client_id: '42' })}`)).status).toBe(400);
  });

  it('returns to the callback with a code that exchanges for a token granted on the Pages', async () => {
    const res = await fetch(`${graph.url}/v25.0/dialog/oauth/confirm?${dialogQuery({ choice: 'continue' })}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('st4te');
    const code = back.searchParams.get('code')!;
    const token = (await (
      await fetch(
        `${graph.url}/v25.0/oauth/access_token?${new URLSearchParams({ client_id: APP.appId, client_secret: APP.appSecret, redirect_uri: CALLBACK, code })}`,
      )
    ).json()) as { access_token: string };
    const debug = (await (
      await fetch(
        `${graph.url}/v25.0/debug_token?${new URLSearchParams({ input_token: token.access_token, access_token: `${APP.appId}|${APP.appSecret}` })}`,
      )
    ).json()) as { data: { user_id: string; scopes: string[]; granular_scopes: { scope: string; target_ids?: string[] }[] } };
    expect(debug.data.user_id).toBe(SANDBOX_LOGIN_USER);
    expect(debug.data.scopes).toEqual(['pages_messaging', 'pages_manage_metadata']);
    expect(debug.data.granular_scopes.find((g) => g.scope === 'pages_messaging')?.target_ids).toEqual([PAGE.id]);
  });

  it('returns access_denied when the person cancels', async () => {
    const res = await fetch(`${graph.url}/v25.0/dialog/oauth/confirm?${dialogQuery({ choice: 'cancel' })}`, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    expect([back.searchParams.get('error'), back.searchParams.get('state')]).toEqual(['access_denied', 'st4te']);
  });
});
