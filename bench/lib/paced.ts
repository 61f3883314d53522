/**
 * An open-loop load generator: starts one call every 1/rate seconds whatever the previous ones are doing,
 * so latency at a given rate is not hidden by waiting (closed loop) nor inflated by per-second bursts
 * (autocannon's rate option fires each second's quota at once).
 */
import { summarize } from './stats.js';

export type PacedResult = { offered: number; completedPerSec: number; p50: number; p99: number; failed: number; dropped: number };

export const runPaced = async (o: {
  rate: number;
  seconds: number;
  maxInFlight?: number;
  fire: () => Promise<boolean>;
  onTick?: (done: number) => void;
}): Promise<PacedResult> => {
  const maxInFlight = o.maxInFlight ?? 512;
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  let dropped = 0;
  const interval = 1000 / o.rate;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const ticker = o.onTick ? setInterval(() => o.onTick!(latencies.length), 2_000) : undefined;
  for (let i = 0; ; i++) {
    const due = start + i * interval;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight.size >= maxInFlight) {
      dropped++;
      continue;
    }
    const t0 = performance.now();
    const p: Promise<void> = o
      .fire()
      .then(
        (ok) => {
          if (ok) latencies.push(performance.now() - t0);
          else failed++;
        },
        () => void failed++,
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (ticker) clearInterval(ticker);
  const s = summarize(latencies);
  return {
    offered: o.rate,
    completedPerSec: latencies.length / ((performance.now() - start) / 1000),
    p50: s.p50,
    p99: s.p99,
    failed,
    dropped,
  };
};
