/**
 * The emailed confirmation link of the public deletion form: the address, the business and an expiry,
 * sealed with our key (so it cannot be forged or read from a log), valid for 24 hours.
 */
import { decryptString, encryptString, type KeyRing } from '../../lib/crypto.js';

const CONTEXT = 'deletion-form-token';
export const FORM_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export type FormClaim = { email: string; businessId: string };

export const sealFormToken = (ring: KeyRing, claim: FormClaim, now = Date.now()) =>
  Buffer.from(encryptString(ring, JSON.stringify({ e: claim.email, b: claim.businessId, x: now + FORM_TOKEN_TTL_MS }), CONTEXT)).toString(
    'base64url',
  );

export const openFormToken = (ring: KeyRing, token: string, now = Date.now()): FormClaim | undefined => {
  try {
    const raw = JSON.parse(decryptString(ring, Buffer.from(token, 'base64url').toString('utf8'), CONTEXT)) as {
      e?: unknown;
      b?: unknown;
      x?: unknown;
    };
    if (typeof raw.e !== 'string' || typeof raw.b !== 'string' || typeof raw.x !== 'number' || raw.x < now) return undefined;
    return { email: raw.e, businessId: raw.b };
  } catch {
    return undefined;
  }
};
