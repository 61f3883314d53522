/** In-process token buckets keyed by caller; enough for one API replica, bounded in memory. */

export type RateLimiter = { take: (key: string) => { ok: true } | { ok: false; retryAfterSeconds: number } };

export const createRateLimiter = (opts: { capacity: number; refillPerSecond: number; maxKeys?: number }): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = opts.maxKeys ?? 50_000;
  return {
    take(key) {
      const now = Date.now();
      const b = buckets.get(key) ?? { tokens: opts.capacity, at: now };
      b.tokens = Math.min(opts.capacity, b.tokens + ((now - b.at) / 1000) * opts.refillPerSecond);
      b.at = now;
      buckets.delete(key); // re-insert: Map order doubles as least-recently-used order
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      buckets.set(key, b);
      if (b.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / opts.refillPerSecond)) };
      b.tokens -= 1;
      return { ok: true };
    },
  };
};
