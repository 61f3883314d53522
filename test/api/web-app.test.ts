/**
 * What the API adds for the web app: the built files at /app (hashed assets cached for a year, index.html never,
 * the SPA fallback, a strict CSP), the login cookie (/auth/web-session), the inbox long-poll and the overview numbers.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKeys, firstReplySeconds, median } from '../../api/overview/stats.js';
import { appContentSecurityPolicy } from '../../api/routes/web-app.js';
import { WEB_APP_HEADER, WEB_SESSION_COOKIE, WEB_SESSION_PATH } from '../../api/routes/web-session.js';
import { ensureWebBuild, WEB_DIST } from '../../web/build.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  await ensureWebBuild();
  h = await startHarness('web-app-api', { startWorker: false });
  owner = await signUp(h.app, { businessName: 'Web App Clinic' });
  other = await signUp(h.app, { businessName: 'Someone Else' });
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

const cookieOf = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${WEB_SESSION_COOKIE}=`));

describe('GET /app', () => {
  it('serves index.html, never cached, under a strict CSP, for /app and every page below it', async () => {
    for (const path of ['/app', '/app/', '/app/leads/lead_123', '/app/settings/api-keys']) {
      const res = await request(h.app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(appContentSecurityPolicy(false));
      expect(res.text).toContain('<div id="root"></div>');
    }
    const csp = appContentSecurityPolicy(false);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(appContentSecurityPolicy(true)).toContain('upgrade-insecure-requests');
  });

  it('serves hashed assets for a year and answers 404 for an unknown one (no SPA fallback there)', async () => {
    const script = readdirSync(join(WEB_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await request(h.app).get(`/app/assets/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(h.app).get('/app/assets/index-00000000.js')).status).toBe(404);
  });

  it('sends the links of account emails to the app, token included', async () => {
    for (const [from, to] of [
      ['/verify-email', '/app/verify-email'],
      ['/reset-password', '/app/reset-password'],
      ['/accept-invite', '/app/accept-invite'],
    ]) {
      const res = await request(h.app).get(`${from}?token=abc_123`);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`${to}?token=abc_123`);
    }
  });
});

describe('the login cookie (/api/v1/auth/web-session)', () => {
  it('takes the refresh token once, keeps its successor in an httpOnly SameSite=Strict cookie and rotates it on refresh', async () => {
    const account = await signUp(h.app);
    const refused = await request(h.app).post(WEB_SESSION_PATH).send({ refreshToken: account.refreshToken });
    expect(refused.status).toBe(403);

    const adopted = await request(h.app).post(WEB_SESSION_PATH).set(WEB_APP_HEADER, '1').send({ refreshToken: account.refreshToken });
    expect(adopted.status).toBe(200);
    expect(adopted.body).not.toHaveProperty('refreshToken');
    const cookie = cookieOf(adopted)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(new RegExp(`Path=${WEB_SESSION_PATH}`));
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http:// in tests; https deployments get Secure

    const first = cookie.split(';')[0]!;
    const refreshed = await request(h.app).post(`${WEB_SESSION_PATH}/refresh`).set(WEB_APP_HEADER, '1').set('Cookie', first).send({});
    expect(refreshed.status).toBe(200);
    const second = cookieOf(refreshed)!.split(';')[0]!;
    expect(second).not.toBe(first);
    const me = await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`);
    expect(me.body.user.id).toBe(account.userId);

    // An old cookie value coming back means a copy exists somewhere: the whole login ends.
    expect((await request(h.app).post(`${WEB_SESSION_PATH}/refresh`).set(WEB_APP_HEADER, '1').set('Cookie', first).send({})).status).toBe(
      401,
    );
    expect((await request(h.app).post(`${WEB_SESSION_PATH}/refresh`).set(WEB_APP_HEADER, '1').set('Cookie', second).send({})).status).toBe(
      401,
    );
    // The token the page saw was spent at once: presenting it again is refused too.
    expect((await request(h.app).post('/api/v1/auth/refresh').send({ refreshToken: account.refreshToken })).status).toBe(401);
  });

  it('logs the browser out: the login behind the cookie ends and the cookie is cleared', async () => {
    const account = await signUp(h.app);
    const adopted = await request(h.app).post(WEB_SESSION_PATH).set(WEB_APP_HEADER, '1').send({ refreshToken: account.refreshToken });
    const cookie = cookieOf(adopted)!.split(';')[0]!;
    const out = await request(h.app).delete(WEB_SESSION_PATH).set(WEB_APP_HEADER, '1').set('Cookie', cookie);
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await request(h.app).post(`${WEB_SESSION_PATH}/refresh`).set(WEB_APP_HEADER, '1').set('Cookie', cookie).send({})).status).toBe(
      401,
    );
    expect((await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${adopted.body.accessToken}`)).status).toBe(401);
  });
});

describe('GET /inbox/changes (long-poll)', () => {
  const changes = (acct: TestAccount, query: Record<string, string | number>) =>
    request(h.app).get(`/api/v1/businesses/${acct.businessId}/inbox/changes`).query(query).set(acct.auth);

  it('gives a cursor, then answers as soon as a conversation of the business changes', async () => {
    const start = await changes(owner, {});
    expect(start.status).toBe(200);
    expect(start.body.changed).toBe(false);
    const waiting = changes(owner, { since: start.body.cursor, wait: 20 }).then((r) => r);
    await new Promise((r) => setTimeout(r, 300));
    const id = `conv_web_${Date.now()}`;
    await h.models.Conversation.create({
      _id: id,
      businessId: owner.businessId,
      channel: 'web',
      channelId: 'pk_test',
      contactId: 'ws_test',
      workflowId: id,
    });
    const started = Date.now();
    const res = await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body.changed).toBe(true);
    expect(res.body.conversationIds).toContain(id);
    expect(Number(res.body.cursor)).toBeGreaterThan(Number(start.body.cursor));
  });

  it('answers changed: false after `wait` seconds when nothing moved, and 404 for another business', async () => {
    const start = await changes(owner, {});
    const res = await changes(owner, { since: start.body.cursor, wait: 1 });
    expect(res.body).toEqual({ changed: false, cursor: start.body.cursor, conversationIds: [] });
    expect((await request(h.app).get(`/api/v1/businesses/${other.businessId}/inbox/changes`).set(owner.auth)).status).toBe(404);
  });
});

describe('GET /overview and /retention', () => {
  it('counts leads per day and channel, the median first reply, and conversations waiting for a person', async () => {
    const now = Date.now();
    const lead = (id: string, channel: string, ago: number) =>
      h.models.Lead.create({ _id: id, businessId: owner.businessId, channel, createdAt: new Date(now - ago) });
    await lead(`lead_o1_${now}`, 'messenger', 0);
    await lead(`lead_o2_${now}`, 'web', 0);
    await lead(`lead_o3_${now}`, 'instagram', 2 * 86_400_000);
    const msg = (conv: string, n: number, direction: 'inbound' | 'outbound', at: number, status: 'received' | 'sent') =>
      h.models.Message.create({
        _id: `${conv}_${n}`,
        conversationId: conv,
        businessId: owner.businessId,
        channel: 'messenger',
        direction,
        author: direction === 'inbound' ? 'visitor' : 'assistant',
        status,
        at: new Date(at),
      });
    await msg(`c1_${now}`, 1, 'inbound', now - 60_000, 'received');
    await msg(`c1_${now}`, 2, 'outbound', now - 50_000, 'sent');
    await msg(`c2_${now}`, 1, 'inbound', now - 60_000, 'received');
    await msg(`c2_${now}`, 2, 'outbound', now - 30_000, 'sent');
    await h.models.Conversation.updateMany({ businessId: owner.businessId }, { $set: { needsReview: true } });

    const res = await request(h.app).get(`/api/v1/businesses/${owner.businessId}/overview`).query({ days: 7 }).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body.leadCount).toBe(3);
    expect(res.body.leadsByChannel).toEqual({ messenger: 1, instagram: 1, web: 1 });
    expect(res.body.leadsPerDay).toHaveLength(7);
    expect(res.body.leadsPerDay.at(-1)).toMatchObject({ messenger: 1, web: 1, total: 2 });
    expect(res.body.medianFirstReplySeconds).toBe(20);
    expect(res.body.waitingForPerson).toBeGreaterThanOrEqual(1);
    expect(res.body.channelsNeedingReconnect).toEqual([]);
    expect((await request(h.app).get(`/api/v1/businesses/${owner.businessId}/overview`).set(other.auth)).status).toBe(404);
  });

  it('computes days in the business time zone, medians and first replies', () => {
    expect(dayKeys(new Date('2025-03-10T23:30:00Z'), 2, 'Europe/Athens')).toEqual(['2025-03-10', '2025-03-11']);
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const at = (s: number) => new Date(s * 1000);
    expect(
      firstReplySeconds([
        { conversationId: 'a', direction: 'outbound', status: 'sent', at: at(1) },
        { conversationId: 'a', direction: 'inbound', status: 'received', at: at(10) },
        { conversationId: 'a', direction: 'outbound', status: 'failed', at: at(12) },
        { conversationId: 'a', direction: 'outbound', status: 'sent', at: at(15) },
        { conversationId: 'a', direction: 'outbound', status: 'sent', at: at(99) },
      ]),
    ).toEqual([5]);
  });

  it('states the retention periods from the configuration', async () => {
    const res = await request(h.app).get('/api/v1/retention');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      conversationInactivityDays: h.config.CONVERSATION_RETENTION_DAYS,
      deletionRequestDays: 30,
      accountClosureDays: h.config.ACCOUNT_CLOSURE_GRACE_DAYS,
      auditDays: h.config.AUDIT_RETENTION_DAYS,
    });
  });
});
