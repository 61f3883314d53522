/**
 * Widget session ids are issued and signed by us, so a visitor cannot guess or invent another's session:
 * `ws_<keyId>.<issuedAt>.<nonce>.<mac>`. The MAC covers the business the session was issued for, so a session
 * of one business is refused by every other, and the issue time, so a session expires after `maxAgeMs`. Signing
 * keys are versioned like the encryption keys: each ENCRYPTION_KEY entry yields its own HKDF subkey, the first
 * signs new sessions and the id names the one that signed it, so rotating the key keeps old sessions valid.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/schema.js';
import type { KeyRing } from '../../lib/crypto.js';

const LABEL = 'widget-session';
const FORMAT = /^ws_([A-Za-z0-9_-]{1,16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/;
/** Clocks of API replicas may disagree a little; a session "issued" further ahead than this is forged. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type SessionCheck = { ok: true; issuedAt: number } | { ok: false; why: 'malformed' | 'unknown-key' | 'forged' | 'expired' };

export type SessionIdOptions = { maxAgeMs: number; now?: () => number };

export const createSessionIds = (ring: KeyRing, opts: SessionIdOptions) => {
  const active = ring[0];
  if (!active) throw new Error('encryption key ring is empty');
  const now = opts.now ?? Date.now;
  const subkeys = new Map(ring.map((k) => [k.id, Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), LABEL, 32))]));
  const sign = (key: Buffer, keyId: string, businessId: string, issuedAt: string, nonce: string) =>
    createHmac('sha256', key).update(`${LABEL}\n${keyId}\n${businessId}\n${issuedAt}\n${nonce}`).digest().subarray(0, 16);

  const check = (id: string, businessId: string): SessionCheck => {
    const m = FORMAT.exec(id);
    if (!m) return { ok: false, why: 'malformed' };
    const [, keyId, issued, nonce, mac] = m as unknown as [string, string, string, string, string];
    const key = subkeys.get(keyId);
    if (!key) return { ok: false, why: 'unknown-key' };
    // Compared as text: base64url has spare bits, so decoding first would accept several spellings of one MAC.
    const given = Buffer.from(mac);
    const expected = Buffer.from(sign(key, keyId, businessId, issued, nonce).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'forged' };
    const issuedAt = parseInt(issued, 36) * 1000;
    const age = now() - issuedAt;
    if (age < -MAX_CLOCK_SKEW_MS) return { ok: false, why: 'forged' };
    if (age > opts.maxAgeMs) return { ok: false, why: 'expired' };
    return { ok: true, issuedAt };
  };

  return {
    /** A new session for this business, signed with the current key. */
    issue: (businessId: string) => {
      const issued = Math.floor(now() / 1000).toString(36);
      const nonce = randomBytes(12).toString('base64url');
      const mac = sign(subkeys.get(active.id)!, active.id, businessId, issued, nonce).toString('base64url');
      return `ws_${active.id}.${issued}.${nonce}.${mac}`;
    },
    check,
    isValid: (id: string, businessId: string) => check(id, businessId).ok,
  };
};
export type SessionIds = ReturnType<typeof createSessionIds>;

/** The API's session ids: every ENCRYPTION_KEY entry verifies, sessions live WIDGET_SESSION_MAX_AGE_DAYS. */
export const sessionIdsFromConfig = (config: Pick<Config, 'ENCRYPTION_KEY' | 'WIDGET_SESSION_MAX_AGE_DAYS'>, now?: () => number) =>
  createSessionIds(config.ENCRYPTION_KEY, { maxAgeMs: config.WIDGET_SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000, ...(now ? { now } : {}) });
