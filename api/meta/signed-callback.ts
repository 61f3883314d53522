/**
 * Meta's signed_request callbacks (data deletion, deauthorize) as a `documentedWebhook`: the form's one
 * `signed_request` field, read from the raw body and verified with META_APP_SECRET before anything acts on it.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Webhook } from '../openapi/route.js';
import { verifySignedRequest, type SignedRequestPayload } from './signed-request.js';

const FORM = 'application/x-www-form-urlencoded';

export const SignedRequestFormSchema = z.object({
  signed_request: z.string().describe('<base64url HMAC-SHA256 signature>.<base64url JSON payload>, signed with the app secret'),
});
export const signedRequestBody = { type: FORM, schema: SignedRequestFormSchema };

export const disabledMeta = () =>
  new AppError(503, 'integration-disabled', 'Meta integration is not configured', 'Set META_APP_SECRET, then restart.');

/** The single signed_request of a form body; anything else (another media type, the field twice) is missing. */
const signedRequestOf = (raw: Buffer, req: Request) => {
  if (!req.is(FORM)) return undefined;
  const values = new URLSearchParams(raw.toString('utf8')).getAll('signed_request');
  return values.length === 1 ? values[0] : undefined;
};

/** `whenRefused` ends the problem's detail: what the refusal left undone ("nothing was started"). */
export const signedRequestCallback = (appSecret: string | undefined, whenRefused: string): Webhook<SignedRequestPayload> => ({
  limit: '16kb',
  verify: (raw, req) => {
    if (!appSecret) throw disabledMeta();
    const verified = verifySignedRequest(signedRequestOf(raw, req), appSecret);
    if (!verified.ok) throw new AppError(400, 'invalid-signed-request', 'Invalid signed_request', `${verified.reason}; ${whenRefused}.`);
    return verified.payload;
  },
});
