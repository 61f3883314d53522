/**
 * One signed POST of a lead event to a CRM endpoint, only ever to a public address (resolved and pinned here,
 * so DNS rebinding cannot redirect it), never following redirects and reading at most 64 KiB of the answer.
 */
import { vetTarget } from '../../lib/outbound-target.js';
import { postPinned } from '../../lib/safe-http.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from '../../lib/webhook-signature.js';
import { nowOf, type ActivityDeps } from '../deps.js';

const POST_TIMEOUT_MS = 10_000;
// A CRM's answer is never used; reading a little lets the exchange finish, reading more invites a flood.
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * `error` goes to the delivery log the business reads: it says what to fix ("timeout", "HTTP 500") and never
 * carries socket errors or addresses, so registering URLs cannot be used to map our network.
 */
export type LeadWebhookPostResult = { statusCode?: number; error?: string; durationMs: number };

const failureReason = (statusCode: number) =>
  statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode} (redirects are not followed)` : `HTTP ${statusCode}`;

export const postLeadWebhook = async (
  deps: ActivityDeps,
  endpoint: { _id: string; url: string },
  message: { body: string; secret: string; eventId: string },
): Promise<LeadWebhookPostResult> => {
  const startedAt = Date.now();
  const target = await vetTarget(endpoint.url, deps.notify.webhookTargets ?? { allowLoopback: false });
  if (!target.isAllowed) {
    deps.log.warn({ endpointId: endpoint._id, reason: target.reason }, 'lead webhook target refused');
    return { error: target.reason, durationMs: Date.now() - startedAt };
  }
  const outcome = await postPinned(target, {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'LuxLeads-Webhooks/1.0',
      [SIGNATURE_HEADER]: signWebhook(message.secret, message.body, Math.floor(nowOf(deps).getTime() / 1000)),
      [EVENT_ID_HEADER]: message.eventId,
    },
    body: message.body,
    timeoutMs: POST_TIMEOUT_MS,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  });
  const durationMs = Date.now() - startedAt;
  if ('statusCode' in outcome) {
    const isAccepted = outcome.statusCode >= 200 && outcome.statusCode < 300;
    return { statusCode: outcome.statusCode, durationMs, ...(isAccepted ? {} : { error: failureReason(outcome.statusCode) }) };
  }
  // The socket error code is for operators (our log, by endpoint id); the business sees the plain reason.
  deps.log.info({ endpointId: endpoint._id, code: outcome.code, reason: outcome.error }, 'lead webhook delivery failed');
  return { error: outcome.error, durationMs };
};

const PLAIN_REASON =
  /^(address not allowed|host not found|connection failed|timeout|HTTP \d{3}( \(redirects are not followed\))?|gave up after \d+ attempts)$/;

/** For the delivery log view: rows written before reasons were made plain may hold socket error codes. */
export const plainDeliveryReason = (stored: string) => (PLAIN_REASON.test(stored) ? stored : 'connection failed');
