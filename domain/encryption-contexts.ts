/**
 * Every encryption context in one place. A context is the associated data of AES-GCM (lib/crypto.ts): a sealed
 * value opens only under the context it was sealed with, so a token copied into another record's field is useless.
 * Changing one of these strings makes every value sealed under it unreadable: treat them as a stored format.
 */

/** A connected Page's or Instagram account's access token (channels.tokenSealed). */
export const channelTokenContext = (channelId: string) => `channel:${channelId}`;

/** A Page token between Facebook Login and the owner's choice of pages (pending_connections). */
export const pendingTokenContext = (pendingId: string, pageId: string) => `pending:${pendingId}:${pageId}`;

/** The signing secret of a business's CRM lead webhook (lead_webhooks.secretSealed). */
export const leadWebhookSecretContext = (endpointId: string) => `lead-webhook:${endpointId}`;

/** A data subject's access export, kept sealed on the privacy request (privacy_requests.exportSealed). */
export const exportContext = (requestId: string) => `privacy-export:${requestId}`;
