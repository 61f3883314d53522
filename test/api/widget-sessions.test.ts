/**
 * Widget abuse limits: origin required on every browser route, sessions bound to one business and expiring,
 * new sessions budgeted per client and per business, signing keys surviving ENCRYPTION_KEY rotation, and a
 * long-poll costing a few queries however long it waits.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { errorHandler } from '../../api/errors.js';
import { createChannelRouter } from '../../api/meta/channel-router.js';
import { createMetrics } from '../../api/metrics.js';
import { widgetRouter } from '../../api/routes/widget.js';
import { createWidgetBusinessLookup } from '../../api/widget/business-lookup.js';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import { DEMO } from '../../domain/demo-seed.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
const ORIGIN = 'http://127.0.0.1:3000';
const OTHER = {
  _id: `biz_widget_other_${Date.now().toString(36)}`,
  publishableKey: `pk_widget_other_${Date.now().toString(36)}`,
  origin: 'https://other-clinic.example',
};
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  h = await startHarness('widget-sessions');
  await h.models.Business.create({
    _id: OTHER._id,
    name: 'Other Clinic',
    niche: 'dental clinic',
    country: 'GB',
    timezone: 'Europe/London',
    publishableKey: OTHER.publishableKey,
    allowedOrigins: [OTHER.origin, ORIGIN],
  });
});
afterAll(async () => {
  await h?.stop();
});

/** A second API on the same database, Temporal and worker, with other settings (another replica, or after a config change). */
const appWith = (config: Config) =>
  createApp({
    config,
    db: h.db,
    log: h.log,
    dispatcher: h.dispatcher,
    channelRouter: createChannelRouter(h.models),
    metrics: createMetrics(),
    readiness: {},
  });

type App = Parameters<typeof request>[0];
const start = (app: App, key: string = DEMO.publishableKey, sessionId?: string, ip = '203.0.113.10') =>
  request(app)
    .post('/widget/v1/sessions')
    .set('origin', ORIGIN)
    .set('x-forwarded-for', ip)
    .send({ key, ...(sessionId ? { sessionId } : {}) });
const send = (app: App, sessionId: string, text = 'Do you do whitening?', key: string = DEMO.publishableKey) =>
  request(app).post('/widget/v1/messages').set('origin', ORIGIN).send({ key, sessionId, text, clientMessageId: randomUUID() });
const poll = (app: App, sessionId: string, opts: { after?: string; wait?: number; key?: string } = {}) =>
  request(app)
    .get('/widget/v1/messages')
    .set('origin', ORIGIN)
    .query({ key: opts.key ?? DEMO.publishableKey, sessionId, wait: opts.wait ?? 0, ...(opts.after ? { after: opts.after } : {}) });

describe('origin', () => {
  it('refuses every widget route without an Origin, or from a page that is not allowed', async () => {
    const sid = (await start(h.app)).body.sessionId as string;
    const calls = [
      () => request(h.app).post('/widget/v1/sessions').send({ key: DEMO.publishableKey }),
      () =>
        request(h.app)
          .post('/widget/v1/messages')
          .send({ key: DEMO.publishableKey, sessionId: sid, text: 'hi', clientMessageId: randomUUID() }),
      () => request(h.app).get('/widget/v1/messages').query({ key: DEMO.publishableKey, sessionId: sid, wait: 0 }),
    ];
    for (const call of calls) {
      const bare = await call();
      expect(bare.status).toBe(403);
      expect(bare.body.detail).toMatch(/no Origin header/);
      expect((await call().set('sec-fetch-site', 'cross-site')).status).toBe(403);
      expect((await call().set('origin', 'https://evil.example')).status).toBe(403);
      expect((await call().set('origin', 'null')).status).toBe(403);
    }
  });

  it("takes a same-origin browser request (no Origin on a GET) as coming from the API's own host, which must be allowed", async () => {
    const sid = (await start(h.app)).body.sessionId as string;
    const sameOrigin = (host: string) =>
      request(h.app)
        .get('/widget/v1/messages')
        .set('host', host)
        .set('sec-fetch-site', 'same-origin')
        .query({ key: DEMO.publishableKey, sessionId: sid, wait: 0 });
    expect((await sameOrigin('127.0.0.1:3000')).status).toBe(200);
    expect((await sameOrigin('evil.example')).status).toBe(403);
  });
});

describe('sessions', () => {
  it("refuses another business's session on every route and starts a new one instead of resuming it", async () => {
    const demoSession = (await start(h.app)).body.sessionId as string;
    const refusedSend = await send(h.app, demoSession, 'hello', OTHER.publishableKey);
    expect(refusedSend.status).toBe(401);
    expect(refusedSend.body.type).toMatch(/invalid-session$/);
    expect((await poll(h.app, demoSession, { key: OTHER.publishableKey })).status).toBe(401);
    const started = await start(h.app, OTHER.publishableKey, demoSession);
    expect(started.status).toBe(200);
    expect(started.body.sessionId).not.toBe(demoSession);
    expect((await send(h.app, started.body.sessionId as string, 'hello', OTHER.publishableKey)).status).toBe(202);
  });

  it('expires a session WIDGET_SESSION_MAX_AGE_DAYS after it was issued: refused, and replaced by a new one with an empty history', async () => {
    const days = h.config.WIDGET_SESSION_MAX_AGE_DAYS;
    const old = sessionIdsFromConfig(h.config, () => Date.now() - (days * DAY + 60_000)).issue(DEMO.businessId);
    const almost = sessionIdsFromConfig(h.config, () => Date.now() - (days * DAY - 60_000)).issue(DEMO.businessId);
    const refused = await send(h.app, old);
    expect(refused.status).toBe(401);
    expect(refused.body.type).toMatch(/session-expired$/);
    expect((await poll(h.app, old)).status).toBe(401);
    const renewed = await start(h.app, DEMO.publishableKey, old);
    expect(renewed.status).toBe(200);
    expect(renewed.body.sessionId).not.toBe(old);
    expect(renewed.body.messages).toEqual([]);
    expect((await poll(h.app, almost)).status).toBe(200);
    // Issued in the future (a forged clock) is no better than forged.
    const ahead = sessionIdsFromConfig(h.config, () => Date.now() + DAY).issue(DEMO.businessId);
    expect((await poll(h.app, ahead)).status).toBe(401);
  });
});

describe('new-session budgets', () => {
  it('allows WIDGET_NEW_SESSIONS_PER_IP_PER_HOUR per client and WIDGET_NEW_SESSIONS_PER_BUSINESS_PER_HOUR per business, then 429 with Retry-After', async () => {
    const app = appWith({ ...h.config, WIDGET_NEW_SESSIONS_PER_IP_PER_HOUR: 2, WIDGET_NEW_SESSIONS_PER_BUSINESS_PER_HOUR: 3 });
    const first = await start(app, DEMO.publishableKey, undefined, '198.51.100.1');
    expect(first.status).toBe(200);
    expect((await start(app, DEMO.publishableKey, undefined, '198.51.100.1')).status).toBe(200);
    const overIp = await start(app, DEMO.publishableKey, undefined, '198.51.100.1');
    expect(overIp.status).toBe(429);
    expect(overIp.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(overIp.headers['retry-after'])).toBeGreaterThan(1000); // one session per 30 minutes comes back
    // Resuming a session is not a new one, and a forged id does not get one past the budget either.
    expect((await start(app, DEMO.publishableKey, first.body.sessionId as string, '198.51.100.1')).status).toBe(200);
    expect((await start(app, DEMO.publishableKey, 'ws_made.up', '198.51.100.1')).status).toBe(429);

    expect((await start(app, DEMO.publishableKey, undefined, '198.51.100.2')).status).toBe(200);
    const overBusiness = await start(app, DEMO.publishableKey, undefined, '198.51.100.3');
    expect(overBusiness.status).toBe(429);
    expect(overBusiness.headers['retry-after']).toBeDefined();
    // Another business keeps its own budget.
    expect((await start(app, OTHER.publishableKey, undefined, '198.51.100.4')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64', async () => {
    const app = appWith({ ...h.config, WIDGET_NEW_SESSIONS_PER_IP_PER_HOUR: 1 });
    expect((await start(app, DEMO.publishableKey, undefined, '2001:db8:1:2::1')).status).toBe(200);
    expect((await start(app, DEMO.publishableKey, undefined, '2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await start(app, DEMO.publishableKey, undefined, '2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('ENCRYPTION_KEY rotation', () => {
  it('keeps sessions signed with the old key working after "k2:…,t1:…" and signs new ones with k2', async () => {
    const before = h.app;
    const [t1] = h.config.ENCRYPTION_KEY;
    const k2 = { id: 'k2', key: randomBytes(32) };
    const after = appWith({ ...h.config, ENCRYPTION_KEY: [k2, t1!] });

    const sid = (await start(before)).body.sessionId as string;
    expect(sid).toMatch(/^ws_t1\./);
    expect((await send(before, sid, "Hi, I'm Rota, what are your opening hours?")).status).toBe(202);
    const reply = await eventually(
      async () => {
        const res = await poll(before, sid);
        return (res.body.messages as { direction: string }[]).some((m) => m.direction === 'outbound') ? res.body : undefined;
      },
      { what: 'a reply before rotation' },
    );

    const resumed = await start(after, DEMO.publishableKey, sid);
    expect(resumed.body.sessionId).toBe(sid);
    expect(resumed.body.messages).toHaveLength(2);
    expect((await send(after, sid, 'And on Saturdays?')).status).toBe(202);
    expect((await poll(after, sid, { after: reply.cursor as string })).status).toBe(200);
    expect((await start(after)).body.sessionId).toMatch(/^ws_k2\./);

    // Once t1 leaves the ring its sessions are refused, and the widget simply starts a new one.
    const retired = appWith({ ...h.config, ENCRYPTION_KEY: [k2] });
    expect((await poll(retired, sid)).status).toBe(401);
    expect((await start(retired, DEMO.publishableKey, sid)).body.sessionId).toMatch(/^ws_k2\./);
  });
});

/** The widget routes over models that count their queries: the "counting wrapper" of the long-poll budget. */
const countingWidgetApp = () => {
  const queries: string[] = [];
  const READS = new Set(['find', 'findOne', 'findById', 'exists', 'countDocuments', 'aggregate']);
  const models = new Proxy(h.models, {
    get: (all, name: string) => {
      const model = all[name as keyof Models] as object;
      return new Proxy(model, {
        get: (m, method: string) => {
          const original = Reflect.get(m, method, m) as unknown;
          if (!READS.has(method) || typeof original !== 'function') return original;
          return (...args: unknown[]) => {
            const filter = args[0] as { _id?: unknown } | undefined;
            queries.push(`${name}.${method}${typeof filter?._id === 'object' && filter._id && '$in' in filter._id ? '($in)' : ''}`);
            return (original as (...a: unknown[]) => unknown).apply(m, args);
          };
        },
      });
    },
  }) as Models;
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    widgetRouter({
      models,
      dispatcher: h.dispatcher,
      lookupBusiness: createWidgetBusinessLookup(models, h.config.PUBLIC_URL),
      sessionIds: sessionIdsFromConfig(h.config),
      newSessionsPerHour: { perIp: 100, perBusiness: 100 },
      pollIntervalMs: 100,
    }),
  );
  app.use(errorHandler(h.log));
  return { app, queries, reset: () => queries.splice(0) };
};

describe('long-poll cost', () => {
  it('idle long-polls share one marker query per tick: two queries of their own each, however long they wait', async () => {
    const { app, queries, reset } = countingWidgetApp();
    const sessions: string[] = [];
    for (let i = 0; i < 5; i++)
      sessions.push((await start(app, DEMO.publishableKey, undefined, `192.0.2.${i + 1}`)).body.sessionId as string);
    reset();
    const polls = await Promise.all(sessions.map((sid) => poll(app, sid, { wait: 2 })));
    expect(polls.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    const own = queries.filter((q) => !q.endsWith('($in)'));
    const ticks = queries.filter((q) => q.endsWith('($in)'));
    expect(own.filter((q) => q !== 'Business.findOne').sort()).toEqual([
      ...Array(5).fill('Conversation.findById'),
      ...Array(5).fill('Message.find'),
    ]);
    // 2 s at 100 ms per tick, for all five polls together (the old loop read twice per tick per poll).
    expect(ticks.length).toBeLessThanOrEqual(22);
  });

  it('a long-poll woken by a new message costs at most three queries of its own', async () => {
    const { app, queries, reset } = countingWidgetApp();
    const sid = (await start(app)).body.sessionId as string;
    expect((await send(app, sid, 'What are your opening hours?')).status).toBe(202);
    const settled = await eventually(
      async () => {
        const res = await poll(app, sid);
        return (res.body.messages as { direction: string }[]).some((m) => m.direction === 'outbound') ? res.body : undefined;
      },
      { what: 'first reply' },
    );

    reset();
    const waiting = poll(app, sid, { after: settled.cursor as string, wait: 20 }).then((res) => res); // supertest sends on then()
    await eventually(() => queries.includes('Message.find'), { what: 'the poll to start waiting' });
    expect((await send(app, sid, 'And on Saturdays?')).status).toBe(202);
    const woken = await waiting;
    expect(woken.body.messages.map((m: { text: string }) => m.text)).toContain('And on Saturdays?');
    const own = queries.filter((q) => !q.endsWith('($in)') && q !== 'Business.findOne');
    expect(own).toEqual(['Conversation.findById', 'Message.find', 'Message.find']);
  });
});
