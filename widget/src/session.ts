/**
 * The visitor's session id — the only thing the widget ever stores on the visitor's device
 * (one localStorage key per widget key; no cookies, no tracking ids).
 */

export const storageKey = (widgetKey: string): string => `luxleads:session:${widgetKey}`;

interface CryptoLike {
  randomUUID?: () => string;
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** RFC 4122 v4. randomUUID only exists in secure contexts, so plain-http sites get the fallback. */
export const uuid = (c: CryptoLike = globalThis.crypto as CryptoLike): string => {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface SessionStore {
  get(): string | null;
  set(id: string): void;
}

/**
 * localStorage can throw (disabled storage, sandboxed iframes, Safari private mode quotas); the
 * chat still works then, it just won't survive a reload.
 */
export const createSessionStore = (widgetKey: string, storage: () => StorageLike | null): SessionStore => {
  const k = storageKey(widgetKey);
  let memory: string | null = null;
  return {
    get() {
      try {
        return storage()?.getItem(k) ?? memory;
      } catch {
        return memory;
      }
    },
    set(id) {
      memory = id;
      try {
        storage()?.setItem(k, id);
      } catch {
        /* keep the in-memory copy */
      }
    },
  };
};
