/**
 * The waiting half of a cheap long-poll: polls wait under a key (a business, a conversation), and one timer per
 * process runs `check` over every waiting key, which wakes only the waiters whose data changed. A poll then costs
 * its share of that check instead of queries of its own every tick.
 */
export type PollWaiter<Since, Result> = { since: Since; wake: (result: Result) => void };
export type PollWaiting<Since, Result> = ReadonlyMap<string, ReadonlySet<PollWaiter<Since, Result>>>;

export const createPollWaits = <Since, Result>(intervalMs: number, check: (waiting: PollWaiting<Since, Result>) => Promise<void>) => {
  const waiting = new Map<string, Set<PollWaiter<Since, Result>>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isTicking = false;

  const tick = async () => {
    timer = undefined;
    isTicking = true;
    try {
      await check(waiting);
    } catch {
      // The database is unreachable for a moment: the polls wait for the next tick or answer at their deadline.
    } finally {
      isTicking = false;
      schedule();
    }
  };

  function schedule() {
    if (timer || isTicking || waiting.size === 0) return;
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  }

  return {
    /** Resolves with what a check woke the waiter with, or with undefined at the deadline or abort. */
    wait: (key: string, since: Since, until: number, signal: AbortSignal) =>
      new Promise<Result | undefined>((resolve) => {
        const waiters = waiting.get(key) ?? new Set<PollWaiter<Since, Result>>();
        const finish = (result: Result | undefined) => {
          clearTimeout(deadline);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
          if (waiters.size === 0 && waiting.get(key) === waiters) waiting.delete(key);
          resolve(result);
        };
        const waiter: PollWaiter<Since, Result> = { since, wake: (result) => finish(result) };
        const onAbort = () => finish(undefined);
        const deadline = setTimeout(onAbort, Math.max(0, until - Date.now()));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort);
        waiters.add(waiter);
        waiting.set(key, waiters);
        schedule();
      }),

    /** How many keys are being watched (tests, metrics). */
    get watched() {
      return waiting.size;
    },
  };
};
