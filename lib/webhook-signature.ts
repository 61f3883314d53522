/**
 * `LuxLeads-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the scheme our lead
 * webhooks use (the timestamp inside the MAC lets receivers reject replays of old requests).
 */
import { hmacSha256Hex, safeEqualHex } from './crypto.js';

export const SIGNATURE_HEADER = 'LuxLeads-Signature';
export const EVENT_ID_HEADER = 'LuxLeads-Event-Id';

export const signWebhook = (secret: string, body: string, unixSeconds: number) =>
  `t=${unixSeconds},v1=${hmacSha256Hex(secret, `${unixSeconds}.${body}`)}`;

/** What a receiver does: recompute over the raw body and compare in constant time, within a tolerance. */
export const verifyWebhook = (secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean => {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return safeEqualHex(hmacSha256Hex(secret, `${t}.${body}`), parts.v1);
};
