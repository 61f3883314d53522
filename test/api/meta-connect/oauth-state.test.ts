import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cookieValue, issueOAuthState, STATE_TTL_MS, verifyOAuthState } from '../../../api/meta-connect/oauth-state.js';

const ring = [
  { id: 'k2', key: randomBytes(32) },
  { id: 'k1', key: randomBytes(32) },
];
const who = { businessId: 'biz_1', userId: 'usr_1' };

describe('OAuth state', () => {
  it('round-trips the business, user and nonce for the browser holding the binding', () => {
    const { state, binding, claims } = issueOAuthState(ring, who, 1_000);
    expect(verifyOAuthState(ring, state, binding, 1_000 + STATE_TTL_MS)).toEqual({ ok: true, claims });
    expect(claims).toMatchObject(who);
    expect(state).not.toContain(binding);
  });

  it('refuses expiry, another browser, tampering, unknown keys and garbage', () => {
    const { state, binding } = issueOAuthState(ring, who, 1_000);
    expect(verifyOAuthState(ring, state, binding, 1_001 + STATE_TTL_MS)).toMatchObject({ ok: false, why: 'expired' });
    expect(verifyOAuthState(ring, state, 'another-browser', 2_000)).toMatchObject({ ok: false, why: 'browser_mismatch' });
    expect(verifyOAuthState(ring, state, undefined, 2_000)).toMatchObject({ ok: false, why: 'browser_mismatch' });
    const [v, kid, payload, sig] = state.split('.') as [string, string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), b: 'biz_victim' })).toString(
      'base64url',
    );
    expect(verifyOAuthState(ring, [v, kid, forged, sig].join('.'), binding, 2_000)).toMatchObject({ ok: false, why: 'bad_signature' });
    expect(verifyOAuthState([{ id: 'k2', key: randomBytes(32) }], state, binding, 2_000)).toMatchObject({
      ok: false,
      why: 'bad_signature',
    });
    expect(verifyOAuthState(ring, [v, 'k9', payload, sig].join('.'), binding, 2_000)).toMatchObject({ ok: false, why: 'bad_signature' });
    for (const junk of ['', 'abc', 'v1.k2.x', 'v2.k2.a.b', `v1.k2.${payload}.${sig}.extra`])
      expect(verifyOAuthState(ring, junk, binding, 2_000).ok).toBe(false);
  });

  it('still verifies a state signed before the key ring rotated', () => {
    const { state, binding } = issueOAuthState(ring.slice(1), who, 1_000);
    expect(verifyOAuthState(ring, state, binding, 2_000).ok).toBe(true);
  });

  it('reads one cookie from a Cookie header', () => {
    expect(cookieValue('a=1; ll_meta_oauth=abc%3D; b=2', 'll_meta_oauth')).toBe('abc=');
    expect(cookieValue('xll_meta_oauth=1', 'll_meta_oauth')).toBeUndefined();
    expect(cookieValue(undefined, 'll_meta_oauth')).toBeUndefined();
  });
});
