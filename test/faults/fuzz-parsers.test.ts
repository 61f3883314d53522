/** Property-based fuzzing of the pure parsers that face the internet: Meta webhook bodies, signatures, signed_request. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMetaWebhook } from '../../api/meta/parse-webhook.js';
import { signMetaBody, verifyMetaSignature } from '../../api/meta/signature.js';
import { signRequest, verifySignedRequest } from '../../api/meta/signed-request.js';
import { DEEP_ARRAY, DEEP_OBJECT, isPrototypePolluted, NASTY_FRAGMENTS } from './nasty-input.js';

const RUNS = 300;
// Deep nesting is tested on its own below: fast-check cannot print a 5,000-level counterexample.
const nastyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(...NASTY_FRAGMENTS.filter((f) => f !== DEEP_ARRAY && f !== DEEP_OBJECT).map((f) => JSON.parse(f) as unknown)),
);
const id = fc.oneof(fc.string({ maxLength: 80 }), fc.nat(), nastyValue);
const message = fc.record(
  {
    mid: fc.oneof(fc.string({ maxLength: 600 }), nastyValue),
    text: fc.oneof(fc.string(), nastyValue),
    is_echo: fc.oneof(fc.boolean(), nastyValue),
    is_deleted: fc.boolean(),
    app_id: id,
    metadata: fc.oneof(fc.string(), nastyValue),
    quick_reply: fc.oneof(fc.record({ payload: fc.string() }), nastyValue),
    attachments: fc.oneof(fc.array(fc.record({ type: fc.string() }), { maxLength: 25 }), nastyValue),
  },
  { requiredKeys: [] },
);
const messaging = fc.record(
  {
    sender: fc.oneof(fc.record({ id }), nastyValue),
    recipient: fc.oneof(fc.record({ id }), nastyValue),
    timestamp: fc.oneof(fc.integer(), nastyValue),
    message,
    postback: fc.oneof(fc.record({ mid: fc.string(), title: fc.string(), payload: fc.string() }, { requiredKeys: [] }), nastyValue),
    read: nastyValue,
    delivery: nastyValue,
    reaction: nastyValue,
  },
  { requiredKeys: [] },
);
const entry = fc.record(
  {
    id,
    time: fc.oneof(fc.integer(), nastyValue),
    messaging: fc.oneof(fc.array(messaging, { maxLength: 5 }), nastyValue),
    standby: fc.oneof(fc.array(nastyValue, { maxLength: 3 }), nastyValue),
  },
  { requiredKeys: [] },
);
const envelope = fc.record(
  {
    object: fc.oneof(fc.constantFrom('page', 'instagram', 'user', 'whatsapp_business_account'), nastyValue),
    entry: fc.oneof(fc.array(entry, { maxLength: 4 }), nastyValue),
  },
  { requiredKeys: [] },
);

describe('parseMetaWebhook', () => {
  it('never throws and only ever yields well-formed events', () => {
    fc.assert(
      fc.property(fc.oneof(envelope, fc.anything()), (body) => {
        const result = parseMetaWebhook(body);
        if (result === undefined) return;
        expect(result.malformed).toBeGreaterThanOrEqual(0);
        for (const e of result.events) {
          expect(['inbound', 'echo', 'ignored']).toContain(e.kind);
          expect(['messenger', 'instagram']).toContain(e.channel);
          expect(typeof e.accountId).toBe('string');
          if (e.kind === 'ignored') continue;
          expect(typeof e.eventId).toBe('string');
          expect(e.eventId.length).toBeGreaterThan(0);
          expect(typeof e.contactId).toBe('string');
          expect(e.contactId.length).toBeLessThanOrEqual(64);
          expect(typeof e.text).toBe('string');
          expect(Number.isInteger(e.at) && e.at > 0).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect(isPrototypePolluted()).toBe(false);
  });

  it('survives deep nesting and prototype keys in parsed JSON', () => {
    for (const raw of [
      DEEP_ARRAY,
      DEEP_OBJECT,
      '{"__proto__":{"polluted":true},"object":"page","entry":[]}',
      '{"object":"page","entry":[{"id":"1","messaging":[{"constructor":{"prototype":{"polluted":true}}}]}]}',
    ]) {
      expect(() => parseMetaWebhook(JSON.parse(raw))).not.toThrow();
    }
    expect(isPrototypePolluted()).toBe(false);
  });
});

describe('verifyMetaSignature', () => {
  it('never throws, and accepts exactly the signature of the exact bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.option(fc.string({ maxLength: 100 })),
        fc.string({ minLength: 1, maxLength: 40 }),
        (bytes, header, secret) => {
          const body = Buffer.from(bytes);
          expect(verifyMetaSignature(body, header ?? undefined, secret)).toBe(header === signMetaBody(body, secret));
          expect(verifyMetaSignature(body, signMetaBody(body, secret), secret)).toBe(true);
          expect(verifyMetaSignature(Buffer.concat([body, Buffer.from('x')]), signMetaBody(body, secret), secret)).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('verifySignedRequest', () => {
  it('never throws on anything and rejects whatever was not signed with the secret', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string({ maxLength: 5_000 }),
          fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `${a}.${b}`),
        ),
        (input) => {
          const r = verifySignedRequest(input, 'the-app-secret');
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('accepts a correctly signed payload only with a usable user_id and the right algorithm', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 70 }), fc.nat(), nastyValue),
        fc.constantFrom('HMAC-SHA256', 'hmac-sha256', 'none', 'HS256'),
        (userId, algorithm) => {
          const r = verifySignedRequest(signRequest({ algorithm, user_id: userId, issued_at: 1 }, 'the-app-secret'), 'the-app-secret');
          // What Meta's JSON actually carries: NaN and ±Infinity become null, so they are no user id at all.
          const sent: unknown = (JSON.parse(JSON.stringify({ user_id: userId })) as { user_id?: unknown }).user_id;
          const idText = typeof sent === 'number' ? String(sent) : sent;
          const shouldPass =
            algorithm.toUpperCase() === 'HMAC-SHA256' && typeof idText === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(idText);
          expect(r.ok).toBe(shouldPass);
          if (r.ok) expect(r.payload.user_id).toBe(idText);
          expect(verifySignedRequest(signRequest({ algorithm, user_id: userId }, 'the-app-secret'), 'another-secret').ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
