import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startRecordingServer, type RecordingServer } from '../../../sandbox/fakes/recording-server.js';
import { parseNestedForm } from '../../../sandbox/fakes/request-body.js';

describe('recording server', () => {
  let server: RecordingServer;

  beforeAll(async () => {
    server = await startRecordingServer({
      name: 'echo',
      handle: (call) => ({ body: { echoed: call.body, query: call.query } }),
      faultBody: (status) => ({ provider: 'echo', status }),
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('records JSON, form and raw bodies with query, headers and time', async () => {
    const before = Date.now();
    await fetch(`${server.url}/json?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 't1' },
      body: '{"a":1}',
    });
    await fetch(`${server.url}/form`, {
      method: 'POST',
      body: new URLSearchParams({ 'items[0][price]': 'p1', 'meta[k]': 'v', plain: 'x' }),
    });
    await fetch(`${server.url}/raw`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    await fetch(`${server.url}/empty`);
    const [json, form, raw, empty] = server.calls;
    expect(json).toMatchObject({ method: 'POST', path: '/json', query: { x: '1' }, body: { a: 1 } });
    expect(json!.headers['x-trace']).toBe('t1');
    expect(json!.at).toBeGreaterThanOrEqual(before);
    expect(form!.body).toEqual({ items: [{ price: 'p1' }], meta: { k: 'v' }, plain: 'x' });
    expect(raw!.body).toBe('hello');
    expect(empty!.body).toBeUndefined();
  });

  it('keeps malformed JSON as text so tests can see it', async () => {
    await fetch(`${server.url}/bad`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(server.calls[0]!.body).toBe('{oops');
  });

  it('parses qs-style arrays', () => {
    expect(parseNestedForm('expand[]=a&expand[]=b&n[0]=x&n[1]=y')).toEqual({ expand: ['a', 'b'], n: ['x', 'y'] });
  });

  it('handles concurrent requests', async () => {
    server.delayAll(50);
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        fetch(`${server.url}/c/${i}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ i }),
        }).then((r) => r.json()),
      ),
    );
    expect(responses.map((r) => (r as { echoed: { i: number } }).echoed.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(server.callsTo('POST', /^\/c\/\d+$/)).toHaveLength(25);
  });

  it('applies queued faults in order, matching method and path, `times` each', async () => {
    server.failNext({ path: /^\/a$/, status: 503, times: 2 });
    server.failNext({ method: 'GET', status: 429, body: { custom: true }, headers: { 'retry-after': '1' } });
    const first = await fetch(`${server.url}/b`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toEqual({ custom: true });
    const a1 = await fetch(`${server.url}/a`);
    const a2 = await fetch(`${server.url}/a`);
    const a3 = await fetch(`${server.url}/a`);
    expect([a1.status, a2.status, a3.status]).toEqual([503, 503, 200]);
    expect(await a1.json()).toEqual({ provider: 'echo', status: 503 });
    expect(server.calls).toHaveLength(4);
  });

  it('delays a faulted response by delayMs (client timeouts can be tested)', async () => {
    server.failNext({ status: 500, delayMs: 300 });
    const started = Date.now();
    await expect(fetch(`${server.url}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(290);
    const ok = await fetch(`${server.url}/after`);
    expect(ok.status).toBe(200);
  });

  it('accepts then drops the answer: the handler runs, then the client times out (stall) or sees a reset', async () => {
    let handled = 0;
    const acting = await startRecordingServer({ name: 'acting', handle: () => ((handled += 1), { body: { ok: true } }) });
    try {
      acting.acceptThenDrop({ path: /^\/send$/, mode: 'stall', skip: 1 });
      acting.acceptThenDrop({ path: /^\/send$/, mode: 'reset' });
      expect((await fetch(`${acting.url}/send`, { method: 'POST' })).status).toBe(200);
      const stalled = await fetch(`${acting.url}/send`, { method: 'POST', signal: AbortSignal.timeout(200) }).catch((e: Error) => e);
      expect((stalled as Error).name).toBe('TimeoutError');
      const reset = await fetch(`${acting.url}/send`, { method: 'POST' }).catch((e: Error & { cause?: { code?: string } }) => e);
      expect((reset as { cause?: { code?: string } }).cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
      expect((await fetch(`${acting.url}/send`, { method: 'POST' })).status).toBe(200);
      expect(handled).toBe(4);
      expect(acting.calls).toHaveLength(4);
    } finally {
      await acting.close();
    }
  });

  it('waitForCalls resolves once enough matching calls arrived', async () => {
    const waiting = server.waitForCalls((c) => c.path === '/later', 2, 2000);
    setTimeout(() => void fetch(`${server.url}/later`), 20);
    setTimeout(() => void fetch(`${server.url}/later`), 40);
    const calls = await waiting;
    expect(calls).toHaveLength(2);
  });

  it('waitForCalls rejects with a list of what did arrive', async () => {
    await fetch(`${server.url}/something-else`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"k":"v"}' });
    await expect(server.waitForCalls((c) => c.path === '/never', 1, 100)).rejects.toThrow(
      /echo: expected 1 matching call\(s\) within 100ms, got 0[\s\S]*POST \/something-else \{"k":"v"\}/,
    );
  });

  it('reset() forgets calls, faults and delays', async () => {
    server.failNext({ status: 500 });
    server.delayAll(1000);
    server.reset();
    const res = await fetch(`${server.url}/x`);
    expect(res.status).toBe(200);
    expect(server.calls).toHaveLength(1);
  });

  it('serves /__fake/calls without recording it', async () => {
    await fetch(`${server.url}/seen`);
    const listed = (await (await fetch(`${server.url}/__fake/calls`)).json()) as unknown[];
    expect(listed).toHaveLength(1);
    expect(server.calls).toHaveLength(1);
  });

  it('can listen on a fixed port', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const fixed = await startRecordingServer({ name: 'fixed', port, handle: () => ({ body: { ok: true } }) });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      expect(await (await fetch(`${fixed.url}/`)).json()).toEqual({ ok: true });
    } finally {
      await fixed.close();
    }
  });

  it('turns a throwing handler into a 500 that names the fake', async () => {
    const broken = await startRecordingServer({
      name: 'broken',
      handle: () => {
        throw new Error('boom');
      },
    });
    try {
      const res = await fetch(`${broken.url}/`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ fakeError: 'broken handler threw: Error: boom' });
    } finally {
      await broken.close();
    }
  });
});
