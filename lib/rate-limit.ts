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

/** A budget of `perHour` a rolling hour: the whole hour's worth may be spent at once, then one every 3600/perHour s. */
export const createHourlyLimiter = (perHour: number, maxKeys?: number): RateLimiter =>
  createRateLimiter({ capacity: perHour, refillPerSecond: perHour / 3600, ...(maxKeys ? { maxKeys } : {}) });

/**
 * The bucket key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64, because one
 * subscriber usually holds a whole /64 and could otherwise take a fresh address, and a fresh budget, per request.
 */
export const clientAddressKey = (ip: string | undefined) => {
  if (!ip) return 'unknown';
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};
