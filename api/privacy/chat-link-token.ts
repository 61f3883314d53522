/**
 * The website chat's link to the request form carries this instead of its session id: the session and its business,
 * sealed with our key and valid for a short while, so the form can verify the person through their chat (the session
 * check) without the session id itself travelling in a URL (browser history, referrers, logs).
 */
import { decryptString, encryptString, type KeyRing } from '../../lib/crypto.js';

const CONTEXT = 'widget-privacy-link';
/** Long enough to fill in the form; the chat mints a new one each time it starts or resumes. */
export const CHAT_LINK_TTL_MS = 2 * 60 * 60 * 1000;

export type ChatLinkClaim = { sessionId: string; businessId: string };

export const sealChatLinkToken = (ring: KeyRing, claim: ChatLinkClaim, now = Date.now()) =>
  Buffer.from(
    encryptString(ring, JSON.stringify({ s: claim.sessionId, b: claim.businessId, x: now + CHAT_LINK_TTL_MS }), CONTEXT),
  ).toString('base64url');

export const openChatLinkToken = (ring: KeyRing, token: string, now = Date.now()): ChatLinkClaim | undefined => {
  try {
    const raw = JSON.parse(decryptString(ring, Buffer.from(token, 'base64url').toString('utf8'), CONTEXT)) as {
      s?: unknown;
      b?: unknown;
      x?: unknown;
    };
    if (typeof raw.s !== 'string' || typeof raw.b !== 'string' || typeof raw.x !== 'number' || raw.x < now) return undefined;
    return { sessionId: raw.s, businessId: raw.b };
  } catch {
    return undefined;
  }
};
