/**
 * The Meta permissions LuxLeads asks for, with the purpose the privacy policy gives each (§6). The login dialog
 * requests exactly these and the /privacy page lists them from here, so the two cannot drift apart.
 *
 * What each call of the connection needs (meta-platform.md §6 and Meta's docs):
 * - `debug_token` (app token): none of the person's permissions; its `granular_scopes` name the Pages they granted.
 * - `GET /{page-id}?fields=id,name,access_token` (user token): a Page permission granted on that Page. The current
 *   "Get a Page Access Token" page asks for "at least one Page permission"; an older Pages page says
 *   `pages_show_list` [conflict]. `/me/accounts` is the call that certainly needs `pages_show_list`; we do not use it.
 * - `POST /{page-id}/subscribed_apps` (Page token): `pages_messaging` + `pages_manage_metadata`.
 * - Send API: `pages_messaging`; Instagram: `instagram_manage_messages`.
 * Instagram is where the four fall short: Meta documents `instagram_basic` (+ `pages_show_list` with a user token)
 * for `GET /{page-id}?fields=instagram_business_account`, and `instagram_basic` on the Page token for Instagram
 * messaging and its webhooks. See INSTAGRAM_LINK_PERMISSIONS.
 */
export const META_PERMISSIONS = [
  { name: 'pages_messaging', purpose: 'to send and receive Messenger messages on behalf of the business page' },
  { name: 'pages_manage_metadata', purpose: 'to read page details and set up the webhook subscription' },
  { name: 'pages_read_engagement', purpose: 'to verify the page is active and accessible' },
  { name: 'instagram_manage_messages', purpose: 'to send and receive Instagram Direct messages on behalf of the connected account' },
] as const;

export type MetaPermission = (typeof META_PERMISSIONS)[number]['name'];

export const META_PERMISSION_NAMES: readonly MetaPermission[] = META_PERMISSIONS.map((p) => p.name);

/**
 * Meta's requirement for reading a Page's linked Instagram account (instagram-platform reference, Page node).
 * We never ask for these; the account is read only when a person's grant happens to hold both.
 */
export const INSTAGRAM_LINK_PERMISSIONS = ['instagram_basic', 'pages_show_list'] as const;
