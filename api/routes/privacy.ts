/**
 * The privacy and compliance routes, mounted in two places: the public ones (Meta callbacks, status page,
 * form, codec) bring their own body parsers and go before the app-wide JSON parser; the API ones after it.
 */
import { Router } from 'express';
import { accountClosureRouter } from './account-closure.js';
import { codecRouter } from './codec.js';
import { dataDeletionRouter } from './data-deletion.js';
import { deauthorizeRouter, type PrivacyRouterDeps } from './deauthorize.js';
import { rightsRequestsRouter } from './rights-requests.js';

export type { PrivacyRouterDeps };

export const privacyPublicRouter = (deps: PrivacyRouterDeps) =>
  Router().use(codecRouter(deps), deauthorizeRouter(deps), dataDeletionRouter(deps));

export const privacyApiRouter = (deps: PrivacyRouterDeps) => Router().use(rightsRequestsRouter(deps), accountClosureRouter(deps));
