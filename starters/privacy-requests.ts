/**
 * Starts privacy request workflows from the API: Meta's callback, the public form and the rights API (the chat
 * starts its request as a child of the conversation). The request id is a keyed hash of a dedupe key
 * (domain/privacy-request-ids.ts), so the same request delivered twice lands on the same id, row and workflow;
 * it doubles as the public confirmation code.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { RetryPolicy } from '@temporalio/common';
import type { Models } from '../db/models/index.js';
import type { KeyRing } from '../lib/crypto.js';
import { requestIdFor, stableRequestId, subjectHashesOf, subjectHashOf } from '../domain/privacy-request-ids.js';
import { dataDeletionWorkflow, type DataDeletionInput } from '../workflows/data-deletion.js';
import { DUE_AFTER_MS, privacyRequestStart } from '../workflows/privacy-request-tracker.js';
import type {
  LeadCorrection,
  PrivacyRequester,
  PrivacyRequestKind,
  PrivacyRequestSource,
  PrivacySubject,
  RequestTiming,
} from '../domain/privacy-requests.js';
import { rightsRequestWorkflow, type RightsRequestInput } from '../workflows/rights-request.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';

export { privacyRequestWorkflowId } from '../workflows/privacy-request-tracker.js';
export { requestIdFor, subjectHashesOf, subjectHashOf } from '../domain/privacy-request-ids.js';

/** `callTimeoutMs`: the API's deadline for starting the workflow (a miss is a 503). */
export type PrivacyStarterDeps = TemporalTarget & { models: Models; keyRing: KeyRing; now?: () => Date };

export type StartPrivacyRequest = {
  kind: PrivacyRequestKind;
  source: PrivacyRequestSource;
  subject: PrivacySubject;
  businessId?: string;
  requestedBy: PrivacyRequester;
  /** The same key always yields the same request (Meta redelivery, the caller retrying); absent means a new request. */
  dedupeKey?: string;
  correction?: LeadCorrection;
  /** The person's verified address (the public form): told at receipt and at completion. */
  notifyEmail?: string;
  /** When the request reached us, if before now (an email to the privacy address, filed by staff); default now. */
  receivedAt?: Date;
  /** Tests only: shorter deadlines and retry backoff. */
  tuning?: { timing?: RequestTiming; stepRetry?: RetryPolicy };
};

export type StartedPrivacyRequest = { requestId: string; workflowId: string; isNew: boolean; receivedAt: Date; dueAt: Date };

/** Every privacy request about this person, whichever key named them (compliance: "what have we done for them?"). */
export const privacyRequestsAbout = (models: Models, ring: KeyRing, s: PrivacySubject) =>
  models.PrivacyRequest.find({ subjectHash: { $in: subjectHashesOf(ring, s) } })
    .sort({ receivedAt: 1 })
    .lean();

export const startPrivacyRequest = async (deps: PrivacyStarterDeps, r: StartPrivacyRequest): Promise<StartedPrivacyRequest> => {
  const requestId = r.dedupeKey ? await stableRequestId(deps.models, deps.keyRing, r.dedupeKey) : requestIdFor(deps.keyRing, randomUUID());
  const subjectHash = subjectHashOf(deps.keyRing, r.subject);
  const now = r.receivedAt ?? deps.now?.() ?? new Date();
  const dueAt = new Date(now.getTime() + (r.tuning?.timing?.dueAfterMs ?? DUE_AFTER_MS));

  const base = {
    requestId,
    subject: r.subject,
    subjectHash,
    source: r.source,
    businessId: r.businessId,
    requestedBy: r.requestedBy,
    timing: r.tuning?.timing,
    stepRetry: r.tuning?.stepRetry,
    // The deadline counts from receipt, this moment: the workflow and the row agree on it.
    receivedAt: now.getTime(),
    ...(r.notifyEmail ? { notifyEmail: r.notifyEmail } : {}),
  };
  const options = {
    ...privacyRequestStart({ kind: r.kind, requestId, businessId: r.businessId }, dueAt),
    taskQueue: deps.taskQueue,
    // A duplicate while running joins the running one; after it finished, the start is refused and we report it.
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
  };
  const { workflowId } = options;
  // A request seen before (a redelivery, the caller retrying after a 503) is not new.
  const wasKnown = r.dedupeKey ? Boolean(await deps.models.PrivacyRequest.exists({ _id: requestId })) : false;
  let isAlreadyStarted = false;
  try {
    // The workflow first, then its row: a row never exists without its workflow (the status page would show a
    // request nobody works on). A row missing after a failure here is written by the workflow's first step.
    await withCallDeadline<unknown>(deps, () =>
      r.kind === 'deletion'
        ? deps.client.workflow.start(dataDeletionWorkflow, {
            ...options,
            args: [{ ...base, kind: 'deletion' } satisfies DataDeletionInput],
          })
        : deps.client.workflow.start(rightsRequestWorkflow, {
            ...options,
            args: [{ ...base, kind: r.kind, correction: r.correction } satisfies RightsRequestInput],
          }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    isAlreadyStarted = true;
  }

  // The workflow may have written the row already (its first step); who asked is known here, so it is always set.
  const upsertRow = () =>
    deps.models.PrivacyRequest.updateOne(
      { _id: requestId },
      {
        $set: { requestedByType: r.requestedBy.type, ...(r.requestedBy.id ? { requestedById: r.requestedBy.id } : {}) },
        $setOnInsert: {
          kind: r.kind,
          source: r.source,
          status: 'received',
          businessId: r.businessId,
          subjectHash,
          workflowId,
          receivedAt: now,
          dueAt,
        },
      },
      { upsert: true },
    );
  // Both inserting at the same moment: one loses on the _id, and its second try updates the winner's row.
  await upsertRow().catch((err: unknown) => ((err as { code?: unknown } | null)?.code === 11000 ? upsertRow() : Promise.reject(err)));
  const stored = await deps.models.PrivacyRequest.findById(requestId, { receivedAt: 1, dueAt: 1 }).lean();
  const isNew = !wasKnown && !isAlreadyStarted;
  return { requestId, workflowId, isNew, receivedAt: stored?.receivedAt ?? now, dueAt: stored?.dueAt ?? dueAt };
};
