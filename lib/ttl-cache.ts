/**
 * A bounded in-process cache: entries expire after their TTL and, past `maxEntries`, the least recently used
 * one is dropped. Clearing a whole cache at a size limit made every request after it miss at once (a burst of
 * database reads exactly when traffic is highest); an unbounded one grows with every id an attacker invents.
 */
export type TtlCache<V> = {
  get(key: string): V | undefined;
  has(key: string): boolean;
  set(key: string, value: V, ttlMs: number): void;
  delete(key: string): void;
  clear(): void;
  /** Live entries, most recently used last (for targeted invalidation). */
  entries(): [string, V][];
  readonly size: number;
};

export const createTtlCache = <V>(maxEntries: number, now: () => number = Date.now): TtlCache<V> => {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  const map = new Map<string, { value: V; expires: number }>();
  const live = (key: string) => {
    const hit = map.get(key);
    if (!hit) return undefined;
    if (hit.expires <= now()) {
      map.delete(key);
      return undefined;
    }
    return hit;
  };
  return {
    get(key) {
      const hit = live(key);
      if (!hit) return undefined;
      map.delete(key);
      map.set(key, hit);
      return hit.value;
    },
    has: (key) => live(key) !== undefined,
    set(key, value, ttlMs) {
      map.delete(key);
      map.set(key, { value, expires: now() + ttlMs });
      while (map.size > maxEntries) map.delete(map.keys().next().value as string);
    },
    delete: (key) => void map.delete(key),
    clear: () => map.clear(),
    entries: () => [...map].filter(([k]) => live(k)).map(([k, v]) => [k, v.value]),
    get size() {
      return map.size;
    },
  };
};
