/**
 * Resend's webhooks are signed the Svix way (svix-id, svix-timestamp, svix-signature over `id.timestamp.body`,
 * secret `whsec_…`); the SDK's own verifier checks the signature and the timestamp's tolerance on the raw body.
 * Only verification: no API key is used, so the client is built with a placeholder one.
 */
import { Resend, type WebhookEventPayload } from 'resend';

export type ResendWebhookHeaders = { id: string; timestamp: string; signature: string };
export type ResendWebhookEvent = WebhookEventPayload;

export const createResendWebhookVerifier = (secret: string) => {
  const resend = new Resend('re_webhook_verification_only');
  /** The event, or undefined when the signature does not match the body (or is too old). */
  return (payload: string, headers: ResendWebhookHeaders): ResendWebhookEvent | undefined => {
    try {
      return resend.webhooks.verify({ payload, headers, webhookSecret: secret });
    } catch {
      return undefined;
    }
  };
};
