import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptString, encryptString, keyedHash, type KeyRing } from '../../lib/crypto.js';

const ring = (...ids: string[]): KeyRing => ids.map((id) => ({ id, key: randomBytes(32) }));

describe('key ring encryption', () => {
  it('round-trips and never contains the plaintext', () => {
    const r = ring('k1');
    const sealed = encryptString(r, 'EAAG-page-token-123', 'channel:ch_1');
    expect(sealed).not.toContain('EAAG');
    expect(decryptString(r, sealed, 'channel:ch_1')).toBe('EAAG-page-token-123');
  });
  it('decrypts old data after a new key is prepended (rotation)', () => {
    const old = ring('old');
    const sealed = encryptString(old, 'secret');
    const rotated: KeyRing = [...ring('new'), ...old];
    expect(decryptString(rotated, sealed)).toBe('secret');
    expect(encryptString(rotated, 'x').startsWith('enc1:new:')).toBe(true);
  });
  it('refuses a ciphertext moved to another record or tampered with', () => {
    const r = ring('k1');
    const sealed = encryptString(r, 'secret', 'channel:a');
    expect(() => decryptString(r, sealed, 'channel:b')).toThrow(DecryptionError);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => decryptString(r, tampered, 'channel:a')).toThrow(DecryptionError);
  });
  it('names subjects by a stable keyed hash', () => {
    const r = ring('k1');
    expect(keyedHash(r, 'psid-1')).toBe(keyedHash(r, 'psid-1'));
    expect(keyedHash(r, 'psid-1')).not.toBe(keyedHash(ring('k1'), 'psid-1'));
  });
});
