/**
 * AES-256-GCM with a versioned key ring: the first key encrypts, any key decrypts, so keys rotate
 * without re-encrypting old data at once. Also the keyed hash that names data subjects in audit logs.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashFor } from './keyed-hash.js';
import type { KeyRing } from './key-ring.js';

export type { KeyRing } from './key-ring.js';

const FORMAT = 'enc1';

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

const activeKey = (ring: KeyRing) => {
  const k = ring[0];
  if (!k) throw new Error('encryption key ring is empty');
  return k;
};

export const encryptBytes = (ring: KeyRing, plain: Buffer, aad?: Buffer): { keyId: string; data: Buffer } => {
  const { id, key } = activeKey(ring);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { keyId: id, data: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
};

export const decryptBytes = (ring: KeyRing, keyId: string, data: Buffer, aad?: Buffer): Buffer => {
  const entry = ring.find((k) => k.id === keyId);
  if (!entry) throw new DecryptionError(`no key with id "${keyId}" in ENCRYPTION_KEY; add it back to decrypt old data`);
  if (data.length < 28) throw new DecryptionError('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, 12));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(data.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
  } catch {
    throw new DecryptionError('ciphertext failed authentication (wrong key or tampered data)');
  }
};

/** `enc1:<keyId>:<base64>`; `context` binds a ciphertext to its owner so it cannot be swapped between records. */
export const encryptString = (ring: KeyRing, plain: string, context = ''): string => {
  const { keyId, data } = encryptBytes(ring, Buffer.from(plain, 'utf8'), Buffer.from(context));
  return `${FORMAT}:${keyId}:${data.toString('base64')}`;
};

export const decryptString = (ring: KeyRing, sealed: string, context = ''): string => {
  const [format, keyId, b64] = sealed.split(':');
  if (format !== FORMAT || !keyId || !b64) throw new DecryptionError('not an encrypted value');
  return decryptBytes(ring, keyId, Buffer.from(b64, 'base64'), Buffer.from(context)).toString('utf8');
};

/**
 * Stable pseudonym for a person: lets audit entries be correlated without storing who they are. Made with the
 * current key; `allHashes(ring, 'subject', value)` (lib/keyed-hash.ts) finds entries made under older keys.
 */
export const keyedHash = (ring: KeyRing, value: string): string => hashFor(ring, 'subject', value).hex;

export const hmacSha256Hex = (secret: string | Buffer, data: string | Buffer) => createHmac('sha256', secret).update(data).digest('hex');

export const safeEqualHex = (a: string, b: string): boolean => {
  if (!/^[0-9a-f]*$/i.test(a) || !/^[0-9a-f]*$/i.test(b)) return false;
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
};

export const randomToken = (bytes = 24, prefix = '') => prefix + randomBytes(bytes).toString('base64url');
