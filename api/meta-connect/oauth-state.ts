/**
 * The OAuth `state` of the Facebook Login dialog: HMAC-signed, expiring, bound to business + user + a nonce,
 * and to the initiating browser through a cookie holding a secret whose hash the state carries. Without that
 * binding, someone could start a connection for their own business and trick an owner into finishing it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../../lib/crypto.js';

export const STATE_TTL_MS = 10 * 60 * 1000;
export const BINDING_COOKIE = 'll_meta_oauth';

export type OAuthStateClaims = { businessId: string; userId: string; nonce: string; expiresAt: number };
export type StateCheck =
  { ok: true; claims: OAuthStateClaims } | { ok: false; why: 'malformed' | 'bad_signature' | 'expired' | 'browser_mismatch' };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** A key of its own for states, derived from the encryption key, so a state MAC is never a valid MAC elsewhere. */
const stateKey = (key: Buffer) => createHmac('sha256', key).update('luxleads:meta-oauth-state:v1').digest();

const mac = (key: Buffer, body: string) => createHmac('sha256', stateKey(key)).update(body).digest();

export const issueOAuthState = (ring: KeyRing, c: { businessId: string; userId: string }, now = Date.now()) => {
  const signer = ring[0];
  if (!signer) throw new Error('encryption key ring is empty');
  const binding = randomBytes(24).toString('base64url');
  const claims: OAuthStateClaims = {
    businessId: c.businessId,
    userId: c.userId,
    nonce: randomBytes(16).toString('base64url'),
    expiresAt: now + STATE_TTL_MS,
  };
  const payload = b64(JSON.stringify({ b: claims.businessId, u: claims.userId, n: claims.nonce, e: claims.expiresAt, h: sha256(binding) }));
  const body = `v1.${signer.id}.${payload}`;
  return { state: `${body}.${b64(mac(signer.key, body))}`, binding, claims };
};

export const verifyOAuthState = (ring: KeyRing, state: string, binding: string | undefined, now = Date.now()): StateCheck => {
  const parts = state.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return { ok: false, why: 'malformed' };
  const [version, keyId, payload, sig] = parts as [string, string, string, string];
  const entry = ring.find((k) => k.id === keyId);
  if (!entry) return { ok: false, why: 'bad_signature' };
  const expected = mac(entry.key, `${version}.${keyId}.${payload}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'bad_signature' };

  let raw: { b?: unknown; u?: unknown; n?: unknown; e?: unknown; h?: unknown };
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    return { ok: false, why: 'malformed' };
  }
  if (
    typeof raw.b !== 'string' ||
    typeof raw.u !== 'string' ||
    typeof raw.n !== 'string' ||
    typeof raw.e !== 'number' ||
    typeof raw.h !== 'string'
  ) {
    return { ok: false, why: 'malformed' };
  }
  if (now > raw.e) return { ok: false, why: 'expired' };
  const bindingHash = Buffer.from(binding ? sha256(binding) : '');
  const wanted = Buffer.from(raw.h);
  if (bindingHash.length !== wanted.length || !timingSafeEqual(bindingHash, wanted)) return { ok: false, why: 'browser_mismatch' };
  return { ok: true, claims: { businessId: raw.b, userId: raw.u, nonce: raw.n, expiresAt: raw.e } };
};

/** Reads one cookie from the Cookie header (no cookie-parser dependency for a single value). */
export const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
};
