/**
 * Verifies Meta's `signed_request` (data deletion and deauthorize callbacks): HMAC-SHA256 with the app
 * secret over the STILL-ENCODED payload, compared in constant time, then the decoded payload's algorithm
 * and user_id are checked. Anything off is a reason string, never an exception.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignedRequestPayload = {
  algorithm: string;
  /** App-scoped id (ASID) of the Facebook Login user; not a PSID. */
  user_id: string;
  issued_at?: number;
  expires?: number;
};

export type SignedRequestResult = { ok: true; payload: SignedRequestPayload } | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

const decodeBase64Url = (s: string): Buffer | undefined => (BASE64URL.test(s) ? Buffer.from(s, 'base64url') : undefined);

export const verifySignedRequest = (signedRequest: unknown, appSecret: string): SignedRequestResult => {
  if (typeof signedRequest !== 'string' || signedRequest.length === 0 || signedRequest.length > 4096)
    return { ok: false, reason: 'signed_request is missing or too long' };
  const dot = signedRequest.indexOf('.');
  if (dot <= 0 || dot === signedRequest.length - 1) return { ok: false, reason: 'signed_request must be <signature>.<payload>' };
  const encodedSignature = signedRequest.slice(0, dot);
  const encodedPayload = signedRequest.slice(dot + 1);

  const signature = decodeBase64Url(encodedSignature);
  if (!signature || !BASE64URL.test(encodedPayload)) return { ok: false, reason: 'signed_request is not base64url' };
  const expected = createHmac('sha256', appSecret).update(encodedPayload).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected))
    return { ok: false, reason: 'signature does not match' };

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'payload is not an object' };
  const p = payload as Record<string, unknown>;
  if (typeof p.algorithm !== 'string' || p.algorithm.toUpperCase() !== 'HMAC-SHA256')
    return { ok: false, reason: 'algorithm must be HMAC-SHA256' };
  const userId = typeof p.user_id === 'number' ? String(p.user_id) : p.user_id;
  if (typeof userId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return { ok: false, reason: 'user_id is missing' };
  return {
    ok: true,
    payload: {
      algorithm: p.algorithm,
      user_id: userId,
      ...(typeof p.issued_at === 'number' ? { issued_at: p.issued_at } : {}),
      ...(typeof p.expires === 'number' ? { expires: p.expires } : {}),
    },
  };
};

/** Builds a signed_request the way Meta does; used by tests and the local simulator. */
export const signRequest = (payload: Record<string, unknown>, appSecret: string): string => {
  const encodedPayload = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
};
