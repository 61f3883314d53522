/**
 * A privacy request opened by another workflow (a customer asking in the chat) runs as that workflow's child,
 * abandoned when the parent ends: a deletion erases the very conversation that asked. As for every intake, the
 * workflow starts before its row exists and writes it as its first step.
 */
import type { PrivacyRequestBase } from '../domain/privacy-requests.js';
import { dataDeletionWorkflow } from './data-deletion.js';
import { startAbandonedChild, workflowNow } from './helpers.js';
import { DUE_AFTER_MS, privacyRequestStart } from './privacy-request-tracker.js';
import { rightsRequestWorkflow } from './rights-request.js';

/** Returns whether this call started it (false: the same request was started before, which counts as done). */
export const startPrivacyRequestChild = async (request: PrivacyRequestBase): Promise<boolean> => {
  const start = privacyRequestStart(request, new Date(workflowNow() + (request.timing?.dueAfterMs ?? DUE_AFTER_MS)));
  if (request.kind === 'deletion') return startAbandonedChild(dataDeletionWorkflow, { ...start, args: [{ ...request, kind: 'deletion' }] });
  return startAbandonedChild(rightsRequestWorkflow, { ...start, args: [{ ...request, kind: request.kind }] });
};
