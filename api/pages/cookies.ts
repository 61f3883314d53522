/**
 * Every cookie the product sets, as the privacy policy (§12) lists them: built from the constants the routes
 * set them with. test/api/public-pages.test.ts fails when a route sets a cookie this list does not name.
 */
import { REFRESH_TOKEN_TTL_MS } from '../auth/sessions.js';
import { CALLBACK_PATH } from '../meta-connect/dialog.js';
import { BINDING_COOKIE, STATE_TTL_MS } from '../meta-connect/oauth-state.js';
import { WEB_SESSION_COOKIE, WEB_SESSION_PATH } from '../routes/web-session.js';
import { MINUTE_MS, DAY_MS } from '../../lib/durations.js';

export type EssentialCookie = { name: string; purpose: string; lasts: string; path: string };

export const ESSENTIAL_COOKIES: readonly EssentialCookie[] = [
  {
    name: WEB_SESSION_COOKIE,
    purpose: 'keeps a business user logged in to the LuxLeads app after a reload; it holds a login token, replaced at each use',
    lasts: `${REFRESH_TOKEN_TTL_MS / DAY_MS} days after the app was last used, or until logging out`,
    path: WEB_SESSION_PATH,
  },
  {
    name: BINDING_COOKIE,
    purpose:
      'set when a business owner starts connecting a Facebook Page; it ties the Facebook Login to that browser so nobody else can finish the connection',
    lasts: `${STATE_TTL_MS / MINUTE_MS} minutes`,
    path: CALLBACK_PATH,
  },
];
