/**
 * Resend's webhook calls, as Resend (through Svix) makes them: the event JSON and the svix-id, svix-timestamp and
 * svix-signature headers, `v1,` + base64 HMAC-SHA256 under the base64 part of the `whsec_…` secret over
 * `${id}.${timestamp}.${body}`. Written from the scheme, not with the SDK's verifier, so a test proves the two agree.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** A fresh signing secret in Resend's format. */
export const newResendWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export const signResendWebhook = (secret: string, body: string, o: { id?: string; timestampSeconds?: number } = {}) => {
  const id = o.id ?? `msg_${randomUUID()}`;
  const timestamp = String(o.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}`, 'content-type': 'application/json' };
};

/** An email event about a sent email (`email.delivered`, `email.bounced`, `email.complained`, …). */
export const resendEmailEvent = (type: string, emailId: string, to: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: 'LuxLeads <notifications@luxleads.local>',
      to,
      subject: 'Outreach',
      message_id: `<${randomUUID()}@resend.dev>`,
      ...extra,
    },
  });

/** An inbound email (`email.received`): someone wrote to our receiving address. */
export const resendInboundEvent = (from: string, to: string[], subject = 'Re: your email') =>
  JSON.stringify({
    type: 'email.received',
    created_at: new Date().toISOString(),
    data: {
      email_id: randomUUID(),
      created_at: new Date().toISOString(),
      from,
      to,
      bcc: [],
      cc: [],
      received_for: to,
      message_id: `<${randomUUID()}@mail.example>`,
      subject,
      attachments: [],
    },
  });
