import { describe, expect, it } from 'vitest';
import { createTtlCache } from '../../lib/ttl-cache.js';

describe('TTL cache', () => {
  it('drops the least recently used entry past its bound, never the whole cache', () => {
    const cache = createTtlCache<number>(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, 1, 60_000);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('d', 1, 60_000);
    expect(cache.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((k) => cache.has(k))).toBe(true);
    expect(cache.size).toBe(3);
  });

  it('stays within its bound however many distinct keys arrive', () => {
    const cache = createTtlCache<null>(100);
    for (let i = 0; i < 10_000; i++) cache.set(`invented-${i}`, null, 60_000);
    expect(cache.size).toBe(100);
    expect(cache.has('invented-9999')).toBe(true);
  });

  it('expires entries after their TTL', () => {
    let t = 1_000;
    const cache = createTtlCache<string>(10, () => t);
    cache.set('k', 'v', 500);
    expect(cache.get('k')).toBe('v');
    t += 501;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.entries()).toEqual([]);
  });
});
