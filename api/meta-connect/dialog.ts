/** Where Facebook Login sends people and what it asks for (meta-platform.md §6). */
import type { Config } from '../../config/schema.js';
import { META_PERMISSION_NAMES } from './permissions.js';

/** Page-level webhook fields; Instagram's are subscribed on the app, the Page subscription carries them. */
export const PAGE_WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_echoes',
  'message_reads',
  'message_deliveries',
  'message_reactions',
  'messaging_referrals',
  'messaging_handovers',
  'standby',
] as const;

export const CALLBACK_PATH = '/api/v1/meta/oauth/callback';

/** Must be byte-for-byte the same in the dialog and in the code exchange, or Meta answers 36008. */
export const oauthRedirectUri = (config: Pick<Config, 'PUBLIC_URL'>) => `${config.PUBLIC_URL.replace(/\/+$/, '')}${CALLBACK_PATH}`;

export const loginDialogUrl = (
  config: Pick<Config, 'PUBLIC_URL' | 'META_APP_ID' | 'META_GRAPH_VERSION' | 'META_LOGIN_URL'>,
  state: string,
) => {
  const url = new URL(`${config.META_LOGIN_URL.replace(/\/+$/, '')}/${config.META_GRAPH_VERSION}/dialog/oauth`);
  url.searchParams.set('client_id', config.META_APP_ID ?? '');
  url.searchParams.set('redirect_uri', oauthRedirectUri(config));
  url.searchParams.set('state', state);
  // Exactly the permissions the privacy policy lists (§6), no more.
  url.searchParams.set('scope', META_PERMISSION_NAMES.join(','));
  url.searchParams.set('response_type', 'code');
  return url.toString();
};
