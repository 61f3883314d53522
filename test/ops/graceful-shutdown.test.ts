/**
 * Graceful shutdown of the real processes: on SIGTERM the API stops accepting connections but finishes the
 * request in flight (a widget long-poll), and the worker drains (its running activity completes, nothing is
 * redone by the next worker). The worker also serves its Prometheus metrics while it runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../domain/demo-seed.js';
import { getFreePort } from '../../scripts/tools/proc.js';
import { sandboxReply } from '../../sandbox/fakes/model-output.js';
import { childEnv, writeWorkflowBundle } from '../helpers/child-env.js';
import { eventually, startHarness, TEST_APP_SECRET, type Harness } from '../helpers/harness.js';
import { messagingEvent, metaJson, mid, signed, webhookBody } from '../helpers/meta-events.js';
import { spawnNodeChild, waitForHttpOk, WORKER_READY, type NodeChild } from '../helpers/node-child.js';

let h: Harness;
let dir: string;
let bundle: string;
const children: NodeChild[] = [];

beforeAll(async () => {
  h = await startHarness('graceful-shutdown', { withOpenAI: true, startWorker: false, env: { OPENAI_TIMEOUT_MS: '20000' } });
  dir = mkdtempSync(join(tmpdir(), 'luxleads-shutdown-'));
  bundle = await writeWorkflowBundle(dir);
  h.openai!.respondWithJson(sandboxReply());
});
afterAll(async () => {
  await Promise.allSettled(children.map((c) => c.stop('SIGKILL')));
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

describe('API process', () => {
  it('finishes the in-flight long-poll after SIGTERM, refuses new connections and exits 0', { timeout: 120_000 }, async () => {
    const port = await getFreePort();
    const url = `http://127.0.0.1:${port}`;
    const api = spawnNodeChild(
      'api',
      'api/main.ts',
      childEnv(h, { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'info' }),
      dir,
    );
    children.push(api);
    await waitForHttpOk(`${url}/readyz`, 90_000, api);
    const origin = 'http://127.0.0.1:3000'; // one of the demo business's allowed origins
    const session = (await (
      await fetch(`${url}/widget/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ key: DEMO.publishableKey }),
      })
    ).json()) as { sessionId: string };

    const started = Date.now();
    const longPoll = fetch(
      `${url}/widget/v1/messages?key=${DEMO.publishableKey}&sessionId=${encodeURIComponent(session.sessionId)}&wait=4`,
      { headers: { origin } },
    );
    await new Promise((r) => setTimeout(r, 500));
    api.child.kill('SIGTERM');
    await api.waitForOutput(/API shutting down/, 10_000);
    // The log line can reach us a moment before the child closes its socket (a busy machine schedules us first).
    expect(await eventually(() => refusesConnections(port), { what: 'new connections refused', timeoutMs: 2_000 })).toBe(true);

    const res = await longPoll;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ messages: [], typing: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_500); // it really waited its 4 s, it was not cut short
    const exit = await api.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/API stopped/);
  });
});

describe('worker process', () => {
  it(
    'serves Prometheus metrics, then drains on SIGTERM: the running activity completes and is not redone',
    { timeout: 180_000 },
    async () => {
      const metricsPort = await getFreePort();
      const env = childEnv(h, { WORKER_WORKFLOW_BUNDLE: bundle, WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, LOG_LEVEL: 'info' });
      const first = spawnNodeChild('worker-1', 'worker/main.ts', env, dir);
      children.push(first);
      await first.waitForOutput(WORKER_READY, 120_000);

      // A slow model: the reply activity is still running when SIGTERM arrives.
      h.openai!.delayAll(4_000);
      const { raw, signature } = signed(
        metaJson(
          webhookBody('page', [
            {
              id: DEMO.messengerPageId,
              messaging: [
                messagingEvent({
                  pageId: DEMO.messengerPageId,
                  senderId: 'psid-drain',
                  text: 'Hi, can I book a check-up?',
                  mid: mid('drain'),
                }),
              ],
            },
          ]),
        ),
        TEST_APP_SECRET,
      );
      expect(
        (
          await request(h.app)
            .post('/webhooks/meta')
            .set('content-type', 'application/json')
            .set('x-hub-signature-256', signature)
            .send(raw)
        ).status,
      ).toBe(200);
      await eventually(() => h.openai!.requests().length === 1, { timeoutMs: 60_000, what: 'the model call in flight' });

      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^temporal_\w+/m);
      expect(metrics).toMatch(/^luxleads_activity_outcomes_total\{[^}]*activityType="recordInbound"[^}]*outcome="completed"/m);

      first.child.kill('SIGTERM');
      const exit = await first.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(first.output()).toMatch(/worker stopped/);
      h.openai!.delayAll(0);

      const second = spawnNodeChild('worker-2', 'worker/main.ts', { ...env, WORKER_METRICS_ADDRESS: '' }, dir);
      children.push(second);
      await second.waitForOutput(WORKER_READY, 120_000);
      await eventually(() => h.graph.messagesTo('psid-drain').length === 1, {
        timeoutMs: 60_000,
        what: 'the reply, delivered by the next worker',
      });
      // The model was asked once: the drained worker finished composeAndDeliverReply and its result was kept.
      expect(h.openai!.requests()).toHaveLength(1);
      await second.stop('SIGTERM');
    },
  );
});
