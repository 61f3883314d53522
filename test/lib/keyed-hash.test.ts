import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyRing } from '../../lib/crypto.js';
import { allHashes, hashFor } from '../../lib/keyed-hash.js';
import { conversationWorkflowId, conversationWorkflowIds } from '../../domain/workflow-ids.js';
import { requestIdFor, subjectHashesOf, subjectHashOf } from '../../starters/privacy-requests.js';

const ring = (...ids: string[]): KeyRing => ids.map((id) => ({ id, key: randomBytes(32) }));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const key = { businessId: 'biz_1', channel: 'messenger' as const, contactId: '24680135792468' };

describe('keyed hashes', () => {
  it('hash with the current key, one subkey per purpose', () => {
    const r = ring('k1');
    expect(hashFor(r, 'subject', 'x')).toEqual({ keyId: 'k1', hex: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(hashFor(r, 'subject', 'x').hex).not.toBe(hashFor(r, 'lead-id', 'x').hex);
    expect(hashFor(r, 'subject', 'x').hex).not.toBe(hashFor(ring('k1'), 'subject', 'x').hex);
  });

  it('after rotation hash new values with the new key and still produce the old key’s hash for lookups', () => {
    const old = ring('k1');
    const rotated: KeyRing = [...ring('k2'), ...old];
    expect(hashFor(rotated, 'tombstone', 'v').keyId).toBe('k2');
    expect(allHashes(rotated, 'tombstone', 'v').map((h) => h.keyId)).toEqual(['k2', 'k1']);
    expect(allHashes(rotated, 'tombstone', 'v')[1]).toEqual(hashFor(old, 'tombstone', 'v'));
    expect(subjectHashesOf(rotated, { email: 'A@x.com' })).toContain(subjectHashOf(old, { email: 'a@x.com ' }));
  });

  it('name conversation workflows by a keyed hash that carries its key id, not by SHA-256 of the PSID', () => {
    const old = ring('k1');
    const id = conversationWorkflowId(old, key);
    expect(id).toMatch(/^conversation:biz_1:messenger:k1\.[0-9a-f]{32}$/);
    expect(id).not.toContain(sha256(key.contactId).slice(0, 32));
    expect(id).not.toContain(key.contactId);
    const rotated: KeyRing = [...ring('k2'), ...old];
    expect(conversationWorkflowIds(rotated, key)).toEqual([conversationWorkflowId(rotated, key), id]);
    // The same session id on another business gives an unrelated id.
    expect(
      conversationWorkflowId(old, { ...key, businessId: 'biz_2' })
        .split(':')
        .pop(),
    ).not.toBe(id.split(':').pop());
  });

  it('derive request ids (the public confirmation code) as 24 hex characters', () => {
    expect(requestIdFor(ring('k1'), 'meta:asid:1')).toMatch(/^[0-9a-f]{24}$/);
  });
});
