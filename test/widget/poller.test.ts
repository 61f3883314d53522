import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, parseRetryAfter } from '../../widget/src/api.js';
import {
  HIDDEN_PAUSE_MS,
  MAX_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  backoffDelay,
  createPoller,
  retryDelay,
  successDelay,
} from '../../widget/src/poller.js';

const noJitter = () => 0;
const maxJitter = () => 0.999999;

describe('backoffDelay', () => {
  it('doubles from 1s and caps at 30s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDelay(a, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitter only shortens, by at most 20%, so 30s is a hard cap', () => {
    expect(backoffDelay(0, maxJitter)).toBe(800);
    for (let attempt = 0; attempt < 12; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt);
        const raw = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
        expect(d).toBeGreaterThanOrEqual(raw * 0.8);
        expect(d).toBeLessThanOrEqual(raw);
      }
    }
  });

  it('survives absurd attempt counts', () => {
    expect(backoffDelay(10_000, noJitter)).toBe(MAX_DELAY_MS);
    expect(backoffDelay(-3, noJitter)).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('parses delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('waits at least Retry-After, but never less than our own backoff, and caps silly values', () => {
    const err = (ms: number) => new ApiError(429, 'slow down', ms);
    expect(retryDelay(err(20_000), 0, noJitter)).toBe(20_000);
    expect(retryDelay(err(500), 3, noJitter)).toBe(8000);
    expect(retryDelay(err(24 * 3600_000), 0, noJitter)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(new ApiError(503, 'down'), 2, noJitter)).toBe(4000);
    expect(retryDelay(new TypeError('network'), 0, noJitter)).toBe(1000);
  });
});

describe('successDelay', () => {
  it('polls again immediately after news or a held-open poll', () => {
    expect(successDelay(10, true, 3)).toEqual({ delayMs: 0, quickEmpty: 0 });
    expect(successDelay(25_000, false, 3)).toEqual({ delayMs: 0, quickEmpty: 0 });
  });

  it('backs off when empty answers come back instantly (long-poll not held open)', () => {
    let q = 0;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = successDelay(5, false, q, noJitter);
      delays.push(r.delayMs);
      q = r.quickEmpty;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });
});

describe('createPoller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A tick whose behaviour is scripted per call; long polls take `holdMs` of fake time. */
  const scripted = (script: (n: number) => 'ok' | 'news' | Error, holdMs = 0) => {
    let calls = 0;
    const signals: AbortSignal[] = [];
    const tick = vi.fn(async (signal: AbortSignal) => {
      signals.push(signal);
      const outcome = script(calls++);
      if (holdMs) await new Promise((r) => setTimeout(r, holdMs));
      if (outcome instanceof Error) throw outcome;
      return outcome === 'news';
    });
    return { tick, signals, calls: () => calls };
  };

  // Note: "immediately" is a 0 ms timer, which fake timers only run on the next advance, hence +1.
  it('polls again immediately after each poll returns', async () => {
    const t = scripted(() => 'ok', 25_000);
    const p = createPoller({ tick: t.tick, random: noJitter });
    p.start();
    expect(t.calls()).toBe(1);
    for (let i = 2; i <= 4; i++) {
      await vi.advanceTimersByTimeAsync(25_001);
      expect(t.calls()).toBe(i);
    }
    p.stop();
  });

  it('backs off 1s, 2s, 4s on errors and resets after a success', async () => {
    const fail = new ApiError(0, 'offline');
    // calls: 0 fail, 1 fail, 2 fail, 3 ok(news), 4 fail, 5 ok...
    const t = scripted((n) => (n <= 2 || n === 4 ? fail : 'news'));
    const onError = vi.fn();
    const onSuccess = vi.fn();
    const p = createPoller({ tick: t.tick, random: noJitter, onError, onSuccess });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(t.calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.calls()).toBe(3);
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.calls()).toBe(4); // success
    expect(onError.mock.calls.map((c) => c[1])).toEqual([1000, 2000, 4000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.calls()).toBe(5); // immediately again, fails
    expect(onError.mock.calls.at(-1)?.[1]).toBe(1000); // backoff reset
    expect(onSuccess).toHaveBeenCalledTimes(1);
    p.stop();
  });

  it('caps the wait at 30s however long the outage', async () => {
    const t = scripted(() => new ApiError(0, 'offline'));
    const onError = vi.fn();
    const p = createPoller({ tick: t.tick, random: noJitter, onError });
    p.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const delays = onError.mock.calls.map((c) => c[1] as number);
    expect(delays.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(Math.max(...delays)).toBe(30000);
    // No storm: ten minutes of outage costs ~25 requests, not thousands.
    expect(t.calls()).toBeLessThan(30);
    p.stop();
  });

  it('honours Retry-After on 429', async () => {
    const t = scripted((n) => (n === 0 ? new ApiError(429, 'slow down', 20_000) : 'ok'), 0);
    const p = createPoller({ tick: t.tick, random: noJitter });
    p.start();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(t.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.calls()).toBe(2);
    p.stop();
  });

  it('stops for good when onError says so (403)', async () => {
    const t = scripted(() => new ApiError(403, 'forbidden'));
    const p = createPoller({ tick: t.tick, onError: () => false });
    p.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(t.calls()).toBe(1);
    expect(p.state).toBe('idle');
  });

  it('Retry (kick) skips the backoff wait', async () => {
    const t = scripted((n) => (n < 5 ? new ApiError(0, 'offline') : 'ok'), 0);
    const p = createPoller({ tick: t.tick, random: noJitter });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls()).toBe(1);
    p.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls()).toBe(2);
    p.stop();
  });

  it('pauses after the tab has been hidden for 5 minutes and resumes at once when visible', async () => {
    const t = scripted(() => 'ok', 25_000);
    const p = createPoller({ tick: t.tick });
    p.start();
    p.setHidden(true);
    await vi.advanceTimersByTimeAsync(HIDDEN_PAUSE_MS + 25_000);
    const callsWhenPaused = t.calls();
    expect(p.state).toBe('paused');
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(t.calls()).toBe(callsWhenPaused);
    p.setHidden(false);
    expect(p.state).toBe('running');
    expect(t.calls()).toBe(callsWhenPaused + 1);
    p.stop();
  });

  it('keeps polling while hidden for less than 5 minutes', async () => {
    const t = scripted(() => 'ok', 25_000);
    const p = createPoller({ tick: t.tick });
    p.start();
    p.setHidden(true);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    p.setHidden(false);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(p.state).toBe('running');
    expect(t.calls()).toBeGreaterThan(18);
    p.stop();
  });

  it('stop() aborts the in-flight poll and schedules nothing more', async () => {
    const t = scripted(() => 'ok', 25_000);
    const p = createPoller({ tick: t.tick });
    p.start();
    p.stop();
    expect(t.signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.calls()).toBe(1);
    expect(p.state).toBe('idle');
  });

  it('does not storm when the server answers empty polls instantly', async () => {
    const t = scripted(() => 'ok', 0);
    const p = createPoller({ tick: t.tick, random: noJitter });
    p.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(t.calls()).toBeLessThan(20);
    p.stop();
  });
});
