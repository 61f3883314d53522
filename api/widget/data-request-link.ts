/**
 * The chat's "Your data" link: the request form for this business, carrying a sealed, short-lived token of the chat
 * session (api/privacy/chat-link-token.ts) so the form can verify the person through their chat, never the raw id.
 */
import type { Config } from '../../config/schema.js';
import { sealChatLinkToken } from '../privacy/chat-link-token.js';

export type DataRequestLink = (b: { businessId: string; publishableKey: string }, sessionId: string) => string;

export const dataRequestLinkFrom =
  (config: Pick<Config, 'ENCRYPTION_KEY' | 'PUBLIC_URL'>, now: () => number = Date.now): DataRequestLink =>
  (b, sessionId) => {
    const token = sealChatLinkToken(config.ENCRYPTION_KEY, { sessionId, businessId: b.businessId }, now());
    return `${config.PUBLIC_URL.replace(/\/+$/, '')}/data-requests?key=${encodeURIComponent(b.publishableKey)}&chat=${token}`;
  };
