/**
 * Keyed hashes of personal identifiers (PSIDs, widget sessions, emails) and of the ids derived from them,
 * versioned like the encryption keys: every ENCRYPTION_KEY entry yields one HMAC subkey per purpose (HKDF),
 * the first entry hashes new values and every entry's hash is tried on lookup. Rotating the key therefore
 * neither orphans a thread, lead or request created under the old key nor lets a redelivered event slip
 * past a tombstone written under it. Plain SHA-256 of a PSID would be reversible by enumerating ids.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyRing } from './key-ring.js';

/** One subkey per purpose, so a hash made for one use never matches (or reveals) a hash made for another. */
export type HashPurpose =
  | 'conversation-id'
  | 'lead-id'
  | 'lead-event'
  | 'subject'
  | 'request-id'
  | 'tombstone'
  | 'email-recipient'
  | 'outreach-suppression'
  | 'outreach-link';

export type KeyedHash = { keyId: string; hex: string };

const subkeys = new WeakMap<KeyRing, Map<string, Buffer>>();

const subkey = (ring: KeyRing, keyId: string, purpose: HashPurpose): Buffer => {
  let cache = subkeys.get(ring);
  if (!cache) subkeys.set(ring, (cache = new Map()));
  const name = `${keyId}\u0000${purpose}`;
  let key = cache.get(name);
  if (!key) {
    const entry = ring.find((k) => k.id === keyId);
    if (!entry) throw new Error(`no key with id "${keyId}" in ENCRYPTION_KEY`);
    key = Buffer.from(hkdfSync('sha256', entry.key, Buffer.alloc(0), `luxleads/keyed-hash/v1/${purpose}`, 32));
    cache.set(name, key);
  }
  return key;
};

const hmacHex = (key: Buffer, value: string, length: number) => createHmac('sha256', key).update(value).digest('hex').slice(0, length);

/** The hash under one named key of the ring. */
export const hashWith = (ring: KeyRing, keyId: string, purpose: HashPurpose, value: string, length = 32): KeyedHash => ({
  keyId,
  hex: hmacHex(subkey(ring, keyId, purpose), value, length),
});

/** The hash under the current (first) key: what new records are named by. */
export const hashFor = (ring: KeyRing, purpose: HashPurpose, value: string, length = 32): KeyedHash => {
  const current = ring[0];
  if (!current) throw new Error('encryption key ring is empty');
  return hashWith(ring, current.id, purpose, value, length);
};

/** One hash per ring key, current first: what a lookup must try so records named under an older key are found. */
export const allHashes = (ring: KeyRing, purpose: HashPurpose, value: string, length = 32): KeyedHash[] =>
  ring.map((k) => hashWith(ring, k.id, purpose, value, length));
