import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionIds } from '../../../api/widget/session-id.js';
import { clientAddressKey, createHourlyLimiter } from '../../../lib/rate-limit.js';

const DAY = 24 * 60 * 60 * 1000;
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('widget session ids', () => {
  it('carry the signing key id and the issue time, and verify only for their business', () => {
    const ids = createSessionIds([k1], { maxAgeMs: 30 * DAY });
    const sid = ids.issue('biz_a');
    expect(sid).toMatch(/^ws_k1\.[0-9a-z]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/);
    expect(sid.length).toBeLessThanOrEqual(100);
    expect(ids.check(sid, 'biz_a')).toMatchObject({ ok: true });
    expect(ids.check(sid, 'biz_b')).toEqual({ ok: false, why: 'forged' });
  });

  it('refuse every other spelling of a valid id, including the spare bits of its base64 MAC', () => {
    const ids = createSessionIds([k1], { maxAgeMs: 30 * DAY });
    const sid = ids.issue('biz_a');
    const variants = new Set<string>();
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') variants.add(sid.slice(0, -1) + c);
    variants.delete(sid);
    for (const v of variants) expect(ids.isValid(v, 'biz_a')).toBe(false);
    expect(ids.check(sid.replace('ws_k1.', 'ws_k9.'), 'biz_a')).toEqual({ ok: false, why: 'unknown-key' });
    expect(ids.check('ws_AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB', 'biz_a')).toEqual({ ok: false, why: 'malformed' });
  });

  it('expire after maxAgeMs and refuse ids issued in the future', () => {
    let now = Date.now();
    const ids = createSessionIds([k1], { maxAgeMs: 30 * DAY, now: () => now });
    const sid = ids.issue('biz_a');
    now += 30 * DAY - 1000;
    expect(ids.isValid(sid, 'biz_a')).toBe(true);
    now += 2000;
    expect(ids.check(sid, 'biz_a')).toEqual({ ok: false, why: 'expired' });
    const ahead = createSessionIds([k1], { maxAgeMs: 30 * DAY, now: () => Date.now() + DAY }).issue('biz_a');
    expect(createSessionIds([k1], { maxAgeMs: 30 * DAY }).check(ahead, 'biz_a')).toEqual({ ok: false, why: 'forged' });
  });

  it('survive rotation: ids signed with k1 verify under [k2, k1], new ones are signed with k2', () => {
    const before = createSessionIds([k1], { maxAgeMs: 30 * DAY });
    const after = createSessionIds([k2, k1], { maxAgeMs: 30 * DAY });
    const old = before.issue('biz_a');
    expect(after.isValid(old, 'biz_a')).toBe(true);
    expect(after.issue('biz_a')).toMatch(/^ws_k2\./);
    expect(createSessionIds([k2], { maxAgeMs: 30 * DAY }).check(old, 'biz_a')).toEqual({ ok: false, why: 'unknown-key' });
  });
});

describe('new-session budgets', () => {
  it('key IPv4 (also IPv4-mapped) by address and IPv6 by /64', () => {
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('2001:db8:1:2::1')).toBe(clientAddressKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(clientAddressKey('2001:db8:1:2::1')).not.toBe(clientAddressKey('2001:db8:1:3::1'));
    expect(clientAddressKey(undefined)).toBe('unknown');
  });

  it('allow the whole hour at once, then one per 3600/n seconds', () => {
    const limiter = createHourlyLimiter(4);
    for (let i = 0; i < 4; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 900 });
    expect(limiter.take('b').ok).toBe(true);
  });
});
