/**
 * The emailed confirmation link of the public request form: the address, the business, the right asked for (and a
 * correction's new values) and an expiry, sealed with our key (so it cannot be forged or read from a log), valid for
 * 24 hours.
 */
import type { LeadCorrection, PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { decryptString, encryptString, type KeyRing } from '../../lib/crypto.js';

const CONTEXT = 'deletion-form-token';
export const FORM_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const KINDS: readonly PrivacyRequestKind[] = ['deletion', 'access', 'correction', 'restriction', 'objection'];

export type FormClaim = { email: string; businessId: string; kind?: PrivacyRequestKind; correction?: LeadCorrection };

export const sealFormToken = (ring: KeyRing, claim: FormClaim, now = Date.now()) =>
  Buffer.from(
    encryptString(
      ring,
      JSON.stringify({ e: claim.email, b: claim.businessId, x: now + FORM_TOKEN_TTL_MS, k: claim.kind, c: claim.correction }),
      CONTEXT,
    ),
  ).toString('base64url');

/** The claim, with its kind always set (links mailed before kinds existed were deletions). */
export const openFormToken = (ring: KeyRing, token: string, now = Date.now()): (FormClaim & { kind: PrivacyRequestKind }) | undefined => {
  try {
    const raw = JSON.parse(decryptString(ring, Buffer.from(token, 'base64url').toString('utf8'), CONTEXT)) as {
      e?: unknown;
      b?: unknown;
      x?: unknown;
      k?: unknown;
      c?: unknown;
    };
    if (typeof raw.e !== 'string' || typeof raw.b !== 'string' || typeof raw.x !== 'number' || raw.x < now) return undefined;
    const kind = raw.k === undefined ? 'deletion' : KINDS.find((k) => k === raw.k);
    if (!kind) return undefined;
    const correction = raw.c && typeof raw.c === 'object' ? (raw.c as LeadCorrection) : undefined;
    return { email: raw.e, businessId: raw.b, kind, ...(correction ? { correction } : {}) };
  } catch {
    return undefined;
  }
};
