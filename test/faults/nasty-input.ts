/**
 * Hostile input for the fuzz tests: injection-shaped values (`{"$gt": ""}`), prototype keys, deep nesting,
 * oversized strings, wrong types and plain garbage, as fast-check arbitraries of raw request bodies.
 */
import fc from 'fast-check';

export const DEEP_ARRAY = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
export const DEEP_OBJECT = `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`;

/** JSON fragments that have broken servers before: each is valid JSON text on its own. */
export const NASTY_FRAGMENTS = [
  '{"$gt":""}',
  '{"$ne":null}',
  '{"$where":"sleep(1000)"}',
  '{"$regex":".*"}',
  '{"__proto__":{"isAdmin":true,"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  DEEP_ARRAY,
  DEEP_OBJECT,
  JSON.stringify('x'.repeat(150_000)),
  'null',
  'true',
  '0',
  '-1',
  '1e308',
  '12345678901234567890123456789',
  '[]',
  '{}',
  '[null]',
  '""',
  '"\\u0000"',
  '"\\ud800"',
  '"<script>alert(1)</script>"',
  '"\'; DROP TABLE users; --"',
  '"{{7*7}}"',
  '"../../etc/passwd"',
  '"pk_demo_brightsmile"',
  '"a@b.c"',
  '"2026-13-45T99:99:99Z"',
  '"NaN"',
] as const;

const fragment = fc.oneof(fc.constantFrom(...NASTY_FRAGMENTS), fc.json({ maxDepth: 3 }));
const key = (known: readonly string[]) =>
  fc.oneof(fc.constantFrom(...known, '__proto__', 'constructor', '$where', 'prototype'), fc.string({ maxLength: 12 }));

/** An object body with known keys (so validation gets further) whose values are hostile. */
export const hostileObject = (known: readonly string[]) =>
  fc
    .array(fc.tuple(key(known.length ? known : ['x']), fragment), { maxLength: 6 })
    .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

/** A valid example with one field replaced by something hostile: the nearest miss. */
export const nearMiss = (example: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(example), '__proto__', 'extra'), fragment).map(([k, v]) => {
    const rest = Object.entries(example)
      .filter(([name]) => name !== k)
      .map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
    return `{${[...rest, `${JSON.stringify(k)}:${v}`].join(',')}}`;
  });

/** Raw bodies: hostile objects, random JSON, fragments alone, and non-JSON bytes. */
export const hostileBody = (known: readonly string[], example?: Record<string, unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: hostileObject(known) },
    { weight: example ? 4 : 0, arbitrary: example ? nearMiss(example) : fc.constant('{}') },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_FRAGMENTS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '{"a":1}}', '\u0000\u0001', '{"a":1,"a":2}', `{"x":"${'y'.repeat(2_000_000)}"}`) },
  );

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
);

/** A random client address, so per-IP rate limits (trust proxy: loopback) do not hide the code under test. */
export const randomIp = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);

export const isPrototypePolluted = () => {
  const probe: Record<string, unknown> = {};
  return probe.polluted !== undefined || probe.isAdmin !== undefined;
};
