/**
 * The signed links in an outreach email (opt-out, open pixel, click redirect): the payload names the send, never
 * the address, and a keyed MAC under a ring key proves we wrote it, so nobody can opt someone else out by guessing
 * or turn the click redirect into an open redirect. `<base64url payload>.<keyId>.<mac>`.
 */
import { safeEqualHex } from '../../lib/crypto.js';
import { hashFor, hashWith } from '../../lib/keyed-hash.js';
import type { KeyRing } from '../../lib/key-ring.js';

export type LinkKind = 'opt-out' | 'open' | 'click';

const payloadOf = (kind: LinkKind, sendId: string, url?: string) =>
  JSON.stringify(url === undefined ? [kind, sendId] : [kind, sendId, url]);

export const signLink = (ring: KeyRing, kind: LinkKind, sendId: string, url?: string) => {
  const payload = payloadOf(kind, sendId, url);
  const { keyId, hex } = hashFor(ring, 'outreach-link', payload);
  return `${Buffer.from(payload).toString('base64url')}.${keyId}.${hex}`;
};

/** The send (and for a click, the URL) a token of `kind` was signed for; undefined for anything else. */
export const openLink = (ring: KeyRing, kind: LinkKind, token: string): { sendId: string; url?: string } | undefined => {
  const [encoded, keyId, mac, ...rest] = token.split('.');
  if (!encoded || !keyId || !mac || rest.length > 0 || !ring.some((k) => k.id === keyId)) return undefined;
  const payload = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!safeEqualHex(hashWith(ring, keyId, 'outreach-link', payload).hex, mac)) return undefined;
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (!Array.isArray(parsed) || parsed[0] !== kind || typeof parsed[1] !== 'string') return undefined;
    return typeof parsed[2] === 'string' ? { sendId: parsed[1], url: parsed[2] } : { sendId: parsed[1] };
  } catch {
    return undefined;
  }
};
