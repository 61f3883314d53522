/**
 * The local Temporal dev-server UI cannot send a bearer token, so `npm start` gives it a codec URL with a
 * secret path segment derived from OPS_TOKEN (`/codec/ui/<key>`): knowing the URL is the credential, and an
 * Origin header — which any local process can forge — is never one.
 */
import { createHmac } from 'node:crypto';

export const codecUiKey = (opsToken: string) => createHmac('sha256', opsToken).update('temporal-ui-codec-path').digest('hex').slice(0, 40);

export const codecUiEndpoint = (publicUrl: string, opsToken: string) => `${publicUrl.replace(/\/+$/, '')}/codec/ui/${codecUiKey(opsToken)}`;
