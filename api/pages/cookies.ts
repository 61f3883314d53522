/**
 * Every cookie the product sets, as the privacy policy (§12) lists them: built from the constants the routes
 * set them with. test/api/public-pages.test.ts fails when a route sets a cookie this list does not name.
 */
import { CALLBACK_PATH } from '../meta-connect/dialog.js';
import { BINDING_COOKIE, STATE_TTL_MS } from '../meta-connect/oauth-state.js';

export type EssentialCookie = { name: string; purpose: string; maxAgeMs: number; path: string };

export const ESSENTIAL_COOKIES: readonly EssentialCookie[] = [
  {
    name: BINDING_COOKIE,
    purpose:
      'set when a business owner starts connecting a Facebook Page; it ties the Facebook Login to that browser so nobody else can finish the connection',
    maxAgeMs: STATE_TTL_MS,
    path: CALLBACK_PATH,
  },
];
