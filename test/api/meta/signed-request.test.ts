import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest, verifySignedRequest } from '../../../api/meta/signed-request.js';

const SECRET = 'app-secret-for-signed-requests';
const payload = { algorithm: 'HMAC-SHA256', issued_at: 1_291_836_800, expires: 1_291_840_400, user_id: '218471' };

describe('verifySignedRequest', () => {
  it('accepts what Meta sends and returns the decoded payload', () => {
    expect(verifySignedRequest(signRequest(payload, SECRET), SECRET)).toEqual({ ok: true, payload });
  });

  it('accepts the algorithm in any case and a numeric user_id', () => {
    const r = verifySignedRequest(signRequest({ ...payload, algorithm: 'hmac-sha256', user_id: 218471 }, SECRET), SECRET);
    expect(r).toMatchObject({ ok: true, payload: { user_id: '218471' } });
  });

  it('rejects a tampered payload (signature computed over the original encoded payload)', () => {
    const [sig] = signRequest(payload, SECRET).split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, user_id: '999' })).toString('base64url');
    expect(verifySignedRequest(`${sig}.${forged}`, SECRET)).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a request signed with another secret', () => {
    expect(verifySignedRequest(signRequest(payload, 'another-secret'), SECRET).ok).toBe(false);
  });

  it('rejects a correctly signed payload with the wrong algorithm', () => {
    expect(verifySignedRequest(signRequest({ ...payload, algorithm: 'HMAC-SHA1' }, SECRET), SECRET)).toEqual({
      ok: false,
      reason: 'algorithm must be HMAC-SHA256',
    });
  });

  it('rejects a correctly signed payload without user_id', () => {
    const { user_id: _omit, ...rest } = payload;
    expect(verifySignedRequest(signRequest(rest, SECRET), SECRET)).toEqual({ ok: false, reason: 'user_id is missing' });
  });

  it('rejects a correctly signed payload that is not JSON', () => {
    const encoded = Buffer.from('not json at all').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(encoded).digest('base64url');
    expect(verifySignedRequest(`${sig}.${encoded}`, SECRET)).toEqual({ ok: false, reason: 'payload is not JSON' });
  });

  it.each([undefined, '', 'garbage', '.', 'abc.', '.abc', 'a b.c', '!!!.???', 42, 'x'.repeat(5000)])('rejects garbage %#', (value) => {
    expect(verifySignedRequest(value, SECRET).ok).toBe(false);
  });

  it('splits on the first dot only', () => {
    const [sig, body] = signRequest(payload, SECRET).split('.');
    expect(verifySignedRequest(`${sig}.${body}.extra`, SECRET).ok).toBe(false);
  });
});
