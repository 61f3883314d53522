/**
 * The privacy and compliance routes, mounted in two places: the public ones (Meta's callbacks, the deletion form,
 * its emailed link, the status page) bring their own body parsers and go before the app-wide JSON parser; the
 * dashboard ones (rights requests, account closure) after it.
 */
import { Router } from 'express';
import type { PrivacyApiDeps, PrivacyPublicDeps } from '../privacy/deps.js';
import { emailConfirmation } from '../privacy/email-confirmation.js';
import { exportDownload } from '../privacy/export-download.js';
import { createPublicForm } from '../privacy/form-answer.js';
import { metaDeauthorizeCallback } from '../privacy/meta-deauthorize-callback.js';
import { metaDeletionCallback } from '../privacy/meta-deletion-callback.js';
import { publicRequestForm } from '../privacy/public-request-form.js';
import { requestStatusPage } from '../privacy/request-status.js';
import { accountClosureRouter } from './account-closure.js';
import { accountSelfServiceRouter } from './account-self-service.js';
import { rightsRequestsRouter } from './rights-requests.js';

export const privacyPublicRouter = (deps: PrivacyPublicDeps) => {
  const router = Router();
  metaDeauthorizeCallback(router, deps);
  metaDeletionCallback(router, deps);
  const form = createPublicForm(deps);
  publicRequestForm(router, deps, form);
  // Before the status page: `/data-deletion/verify` would otherwise read as a confirmation code.
  emailConfirmation(router, deps, form);
  exportDownload(router, deps, form);
  requestStatusPage(router, deps);
  return router;
};

export const privacyApiRouter = (deps: PrivacyApiDeps) =>
  Router().use(rightsRequestsRouter(deps), accountClosureRouter(deps), accountSelfServiceRouter(deps));
