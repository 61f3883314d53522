/**
 * The long-poll loop and its timing rules. The delay maths are pure functions so they can be
 * tested exactly; the loop only sequences ticks and timers.
 *
 * Rules: after a poll returns, poll again at once (the server holds it open up to `wait`); on
 * error back off 1s→2s→4s… capped at 30s, with jitter, reset on success; honour Retry-After;
 * after the tab has been hidden for 5 minutes stop issuing polls until it is visible again.
 */

export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;
/** Fraction of the delay that jitter may remove. */
export const JITTER = 0.2;
/** A Retry-After beyond this is treated as a misconfiguration rather than obeyed for hours. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;
export const HIDDEN_PAUSE_MS = 5 * 60_000;
/** An empty answer faster than this means the long-poll isn't being held open (e.g. a proxy). */
export const MIN_HOLD_MS = 1_000;

/**
 * Delay before retry number `attempt` (0-based). Jitter only ever shortens the delay, so 30s is
 * a true cap, and visitors that all lost the server at once don't come back in lockstep.
 */
export const backoffDelay = (attempt: number, random: () => number = Math.random): number => {
  const raw = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(raw * (1 - JITTER * random()));
};

/** Retry-After is a floor set by the server; our own backoff still applies if it is longer. */
export const retryDelay = (err: unknown, attempt: number, random: () => number = Math.random): number => {
  const own = backoffDelay(attempt, random);
  const ra = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof ra !== 'number' || !(ra >= 0)) return own;
  return Math.max(own, Math.min(ra, MAX_RETRY_AFTER_MS));
};

/**
 * Delay after a successful poll. Normally 0 (poll again immediately). Only when polls keep
 * coming back empty without having been held open do we back off, so a misbehaving proxy
 * can't turn "poll immediately" into a request storm.
 */
export const successDelay = (
  elapsedMs: number,
  gotNews: boolean,
  quickEmpty: number,
  random: () => number = Math.random,
): { delayMs: number; quickEmpty: number } => {
  if (gotNews || elapsedMs >= MIN_HOLD_MS) return { delayMs: 0, quickEmpty: 0 };
  return { delayMs: backoffDelay(quickEmpty, random), quickEmpty: quickEmpty + 1 };
};

export interface PollerOptions {
  /** One unit of work (start a session or one long-poll). Resolves true if anything changed. */
  tick: (signal: AbortSignal) => Promise<boolean>;
  onSuccess?: () => void;
  /** Called with the delay about to be waited; return false to stop for good (e.g. on 403). */
  onError?: (err: unknown, delayMs: number) => boolean | void;
  random?: () => number;
  now?: () => number;
}

export interface Poller {
  start(): void;
  stop(): void;
  /** Skip the current backoff wait (the "Retry" button). */
  kick(): void;
  setHidden(hidden: boolean): void;
  readonly state: 'idle' | 'running' | 'paused';
}

export const createPoller = (opts: PollerOptions): Poller => {
  const now = opts.now ?? (() => Date.now());
  const random = opts.random ?? Math.random;
  let active = false;
  let paused = false;
  let attempt = 0;
  let quickEmpty = 0;
  let hiddenSince: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inflight: AbortController | null = null;

  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, ms);
  };

  const run = async (): Promise<void> => {
    if (!active || inflight || timer) return;
    if (hiddenSince !== null && now() - hiddenSince >= HIDDEN_PAUSE_MS) {
      paused = true;
      return;
    }
    const ctl = new AbortController();
    inflight = ctl;
    const startedAt = now();
    try {
      const news = await opts.tick(ctl.signal);
      if (ctl.signal.aborted) return;
      attempt = 0;
      const next = successDelay(now() - startedAt, news, quickEmpty, random);
      quickEmpty = next.quickEmpty;
      inflight = null;
      opts.onSuccess?.();
      if (active) schedule(next.delayMs);
    } catch (err) {
      if (ctl.signal.aborted) return;
      const delay = retryDelay(err, attempt, random);
      attempt += 1;
      inflight = null;
      if (opts.onError?.(err, delay) === false) active = false;
      if (active) schedule(delay);
    } finally {
      if (inflight === ctl) inflight = null;
    }
  };

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  return {
    start() {
      if (active) return;
      active = true;
      paused = false;
      void run();
    },
    stop() {
      active = false;
      paused = false;
      clearTimer();
      inflight?.abort();
      inflight = null;
    },
    kick() {
      if (!active || inflight) return;
      clearTimer();
      paused = false;
      void run();
    },
    setHidden(hidden) {
      if (hidden) {
        hiddenSince ??= now();
        return;
      }
      hiddenSince = null;
      if (active && paused) {
        paused = false;
        void run();
      }
    },
    get state() {
      return !active ? 'idle' : paused ? 'paused' : 'running';
    },
  };
};
