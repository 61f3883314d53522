/**
 * What every privacy request workflow shares: its status (query, search attributes, read model), steps
 * that each leave an audit entry, and the deadline — a reminder at day 21 and "overdue" at day 30 — raced
 * against the work so a step stuck on an outage still gets people told.
 */
import type { RetryPolicy, SearchAttributePair } from '@temporalio/common';
import {
  ActivityFailure,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ControlRequest } from '../domain/conversation.js';
import { Failure } from '../domain/failures.js';
import { RequestDueAtAttr, RequestKindAttr, RequestStatusAttr, TenantIdAttr } from '../temporal/search-attributes.js';
import { workflowNow } from './helpers.js';
import type {
  PrivacyRequestBase,
  PrivacyRequestKind,
  PrivacyRequestStatus,
  RequestProgress,
  StepCounts,
} from '../domain/privacy-requests.js';
import { DAY_MS } from '../lib/durations.js';

export const privacyRequestStatusQuery = defineQuery<RequestProgress>('privacyRequestStatus');

/** What a privacy request asks of a conversation thread of the person: stop for good (erasure), or stop answering. */
export type PrivacyControl = Extract<ControlRequest, { action: 'delete' | 'restrict' }>;

/**
 * Sent by a privacy request's workflow to each thread it touches; the conversation applies it like its control update
 * (a 'delete' stops the thread between batches until the erasure deletes it). A signal from the workflow, not an update
 * from an activity: activities never message workflows (nor import their definitions), and a workflow can only signal
 * another. The step's next activity waits until the thread shows it took the control (its mode search attribute).
 */
export const privacyControlSignal = defineSignal<[PrivacyControl]>('privacyControl');

/** Signals each thread; returns the ids it reached (one that has ended cannot be told, and needs no telling). */
export const tellConversations = async (conversationIds: string[], control: PrivacyControl): Promise<string[]> => {
  const reached = await Promise.all(
    conversationIds.map((id) =>
      getExternalWorkflowHandle(id)
        .signal(privacyControlSignal, control)
        .then(
          () => id,
          (err: unknown) => {
            if (isCancellation(err)) throw err;
            return undefined;
          },
        ),
    ),
  );
  return reached.filter((id): id is string => id !== undefined);
};

export const privacyRequestWorkflowId = (kind: PrivacyRequestKind, requestId: string) => `privacy-request:${kind}:${requestId}`;

/**
 * Every start of a privacy request workflow, from the API or as a child: its id, what the Temporal UI lists it by,
 * and no second run for a request that already finished (a redelivery then reports the request it had).
 */
export const privacyRequestStart = (r: Pick<PrivacyRequestBase, 'kind' | 'requestId' | 'businessId'>, dueAt: Date) => ({
  workflowId: privacyRequestWorkflowId(r.kind, r.requestId),
  workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  typedSearchAttributes: [
    { key: RequestKindAttr, value: r.kind },
    { key: RequestStatusAttr, value: 'received' },
    { key: RequestDueAtAttr, value: dueAt },
    ...(r.businessId ? [{ key: TenantIdAttr, value: r.businessId }] : []),
  ] as SearchAttributePair[],
});

export const REMINDER_AFTER_MS = 21 * DAY_MS;
export const DUE_AFTER_MS = 30 * DAY_MS;

/** Steps wait out outages for days (no attempt limit): the deadline timers, not the retries, decide when people are told. */
export const DEFAULT_STEP_RETRY: RetryPolicy = {
  initialInterval: '10s',
  backoffCoefficient: 2,
  maximumInterval: '6h',
  nonRetryableErrorTypes: [Failure.InvalidInput],
};

export const createRequestTracker = (input: PrivacyRequestBase) => {
  const receivedAt = input.receivedAt ?? workflowNow();
  const progress: RequestProgress = {
    requestId: input.requestId,
    kind: input.kind,
    status: 'received',
    receivedAt,
    reminderAt: receivedAt + (input.timing?.reminderAfterMs ?? REMINDER_AFTER_MS),
    dueAt: receivedAt + (input.timing?.dueAfterMs ?? DUE_AFTER_MS),
    isReminderSent: false,
    steps: [],
  };
  const retry = { ...DEFAULT_STEP_RETRY, ...input.stepRetry };
  const records = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry });
  /** The proxy request workflows run their own steps through: long timeout, the same patient retries. */
  const steps = proxyActivities<Activities>({ startToCloseTimeout: '10m', retry });
  const ids = { requestId: input.requestId, businessId: input.businessId, subjectHash: input.subjectHash };
  let isDone = false;

  setHandler(privacyRequestStatusQuery, () => progress);

  const setStatus = async (status: PrivacyRequestStatus) => {
    progress.status = status;
    if (status === 'completed') progress.completedAt = workflowNow();
    // Search attributes first: the Temporal UI shows the truth even while MongoDB is unreachable.
    upsertSearchAttributes([{ key: RequestStatusAttr, value: status }]);
    await records.recordPrivacyRequestStatus({ ...ids, kind: input.kind, status, at: workflowNow() });
  };

  const open = async () => {
    progress.status = 'in_progress';
    upsertSearchAttributes([
      { key: RequestKindAttr, value: input.kind },
      { key: RequestStatusAttr, value: 'in_progress' },
      { key: RequestDueAtAttr, value: new Date(progress.dueAt) },
    ]);
    await records.openPrivacyRequest({
      ...ids,
      kind: input.kind,
      source: input.source,
      workflowId: workflowInfo().workflowId,
      receivedAt: progress.receivedAt,
      dueAt: progress.dueAt,
      requestedBy: input.requestedBy,
    });
  };

  /** Runs one step; its counts (never who) go to the audit trail under the key `{requestId}:{name}`. */
  const step = async <R extends { counts: StepCounts }>(name: string, run: () => Promise<R>): Promise<R> => {
    progress.currentStep = name;
    const result = await run();
    await records.recordPrivacyRequestStep({ ...ids, kind: input.kind, step: name, counts: result.counts, at: workflowNow() });
    progress.steps.push({ name, at: workflowNow(), counts: result.counts });
    progress.currentStep = undefined;
    return result;
  };

  const watchDeadline = async () => {
    if (await condition(() => isDone, Math.max(1, progress.reminderAt - workflowNow()))) return;
    const reminder = await records.sendPrivacyRequestReminder({
      ...ids,
      kind: input.kind,
      receivedAt: progress.receivedAt,
      dueAt: progress.dueAt,
      currentStep: progress.currentStep,
    });
    progress.isReminderSent = reminder.delivered;
    await records.recordPrivacyRequestReminder({ ...ids, kind: input.kind, delivered: reminder.delivered, at: workflowNow() });
    if (await condition(() => isDone, Math.max(1, progress.dueAt - workflowNow()))) return;
    await setStatus('overdue');
    await records.sendPrivacyRequestEscalation({
      ...ids,
      kind: input.kind,
      receivedAt: progress.receivedAt,
      dueAt: progress.dueAt,
      currentStep: progress.currentStep,
    });
  };

  /** The person who asked, when we have their verified address: at receipt, and at completion. */
  const tellPerson = async (stage: 'received' | 'completed') => {
    if (!input.notifyEmail) return;
    try {
      await records.sendPrivacyRequestNotice({
        ...ids,
        kind: input.kind,
        stage,
        to: input.notifyEmail,
        receivedAt: progress.receivedAt,
        dueAt: progress.dueAt,
      });
    } catch (err) {
      // Only a refused address ends up here (outages are retried): the request itself goes on, and is audited.
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('privacy request notice not sent', { requestId: input.requestId, stage, cause: err.cause?.message });
    }
  };

  /** Opens the request, runs `work` while the deadline timers run beside it, then marks it completed. */
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    const watcher = watchDeadline();
    let result: T;
    try {
      await open();
      // Beside the work: a mail outage delays neither the request nor its deadline.
      const receipt = tellPerson('received');
      result = await work();
      await receipt;
    } finally {
      isDone = true;
      await watcher;
    }
    await setStatus('completed');
    await tellPerson('completed');
    return result;
  };

  return { progress, steps, step, run };
};
