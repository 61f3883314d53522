/**
 * Login backoff per email + IP: an attacker's failures from one address pause that address only, growing
 * from 1 s to 15 minutes; the owner's right password from another address is never refused because of them.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMsAfter, createLoginThrottle, FREE_FAILURES, MAX_BACKOFF_MS } from '../../../api/auth/login-throttle.js';
import { signUp, TEST_PASSWORD, uniqueEmail } from '../../helpers/accounts.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('auth-backoff', { startWorker: false });
});
afterAll(async () => {
  await h?.stop();
});

// The app trusts the loopback proxy (supertest), so X-Forwarded-For sets the client address.
const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.9';
const login = (email: string, password: string, ip: string) =>
  request(h.app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });
const withoutInstance = (body: Record<string, unknown>) => ({ ...body, instance: undefined });

describe('backoff schedule', () => {
  it('is free for the first failures, then doubles from 1 s and stops at 15 minutes', () => {
    expect([1, 2, 3, 4].map(backoffMsAfter)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map(backoffMsAfter)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffMsAfter(15)).toBe(MAX_BACKOFF_MS);
    expect(backoffMsAfter(500)).toBe(MAX_BACKOFF_MS);
  });

  it('grows with each failure of one email + IP pair, leaves other pairs alone, and a success clears it', async () => {
    const throttle = createLoginThrottle(h.models);
    const email = uniqueEmail('pair');
    const now = Date.now();
    const waits: number[] = [];
    for (let i = 1; i <= FREE_FAILURES + 3; i += 1) {
      await throttle.fail(email, ATTACKER, now);
      const check = await throttle.check(email, ATTACKER, now);
      waits.push(check.ok ? 0 : check.retryAfterSeconds);
    }
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4, 8]);
    expect(await throttle.check(email, OWNER, now)).toEqual({ ok: true });
    expect(await throttle.check(email, ATTACKER, now + 8_001)).toEqual({ ok: true });
    // Stored by a hash: neither the address nor the email is in the collection.
    const stored = JSON.stringify(await h.models.LoginThrottle.find({}).lean());
    expect(stored).not.toContain(email);
    expect(stored).not.toContain(ATTACKER);
    await throttle.succeed(email, ATTACKER);
    expect(await throttle.check(email, ATTACKER, now)).toEqual({ ok: true });
  });
});

describe('POST /api/v1/auth/login under attack', () => {
  it("pauses the attacker's address with 429 + Retry-After while the owner logs in from theirs", async () => {
    const owner = await signUp(h.app);
    // Ten guesses (the old per-account lock-out refused the right password from anywhere after these).
    for (let i = 0; i < 10; i += 1) expect([401, 429]).toContain((await login(owner.email, `guess number ${i}`, ATTACKER)).status);
    expect((await login(owner.email, TEST_PASSWORD, OWNER)).status).toBe(200);
    // More failures straight into the store (waiting out each pause over HTTP would make the test slow and timing-bound).
    const throttle = createLoginThrottle(h.models);
    for (let i = 0; i < 4; i += 1) await throttle.fail(owner.email, ATTACKER);

    const paused = await login(owner.email, TEST_PASSWORD, ATTACKER);
    expect(paused.status).toBe(429);
    expect(Number(paused.headers['retry-after'])).toBeGreaterThanOrEqual(8);
    expect((await login(owner.email, TEST_PASSWORD, OWNER)).status).toBe(200);
    expect(await h.models.AuditEntry.exists({ action: 'user.login_backoff', target: owner.userId })).toBeTruthy();
  });

  it('pauses an unknown email exactly like a known one, so the pause tells nothing', async () => {
    const known = await signUp(h.app);
    const ghost = uniqueEmail('ghost');
    const ip = '192.0.2.44';
    for (let i = 0; i < FREE_FAILURES; i += 1) {
      const [a, b] = [await login(known.email, `guess ${i}`, ip), await login(ghost, `guess ${i}`, ip)];
      expect([a.status, b.status]).toEqual([401, 401]);
      expect(withoutInstance(a.body)).toEqual(withoutInstance(b.body));
    }
    const throttle = createLoginThrottle(h.models);
    for (let i = 0; i < 4; i += 1) await Promise.all([throttle.fail(known.email, ip), throttle.fail(ghost, ip)]);
    const [a, b] = [await login(known.email, 'another guess', ip), await login(ghost, 'another guess', ip)];
    expect([a.status, b.status]).toEqual([429, 429]);
    expect([a.body.type, a.body.title]).toEqual([b.body.type, b.body.title]);
  });

  it('clears the count on a correct login', async () => {
    const owner = await signUp(h.app);
    const ip = '192.0.2.45';
    for (let i = 0; i < FREE_FAILURES - 1; i += 1) expect((await login(owner.email, `typo ${i}`, ip)).status).toBe(401);
    expect((await login(owner.email, TEST_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < FREE_FAILURES - 1; i += 1) expect((await login(owner.email, `typo again ${i}`, ip)).status).toBe(401);
    expect((await login(owner.email, TEST_PASSWORD, ip)).status).toBe(200);
  });
});
