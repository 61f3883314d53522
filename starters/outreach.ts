/**
 * Client-side starts and signals of OutreachWorkflows, for the API: enrolling prospects in a campaign (one
 * workflow each, id from the campaign and prospect, so enrolling twice starts nothing new), and telling the
 * running ones to pause, resume or stop. A few calls at a time: 1,000 prospects must not flood the frontend.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Models } from '../db/models/index.js';
import type { StopReason } from '../domain/outreach/events.js';
import { suppressionOf } from '../domain/outreach/suppression.js';
import type { KeyRing } from '../lib/key-ring.js';
import { withCallDeadline, type TemporalTarget } from '../temporal/deadline.js';
import {
  outreachPauseSignal,
  outreachResumeSignal,
  outreachStopSignal,
  outreachWorkflow,
  outreachWorkflowId,
} from '../workflows/outreach.js';
import { DAY_MS } from '../lib/durations.js';

const CONCURRENCY = 8;

const inBatches = async <T>(items: T[], each: (item: T) => Promise<void>) => {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(each));
};

export type EnrollResult = { enrolled: number; alreadyEnrolled: number; suppressed: number; unknown: number };

/** Enrolls the prospects in a running campaign: skips suppressed addresses (the send re-checks anyway). */
export const enrollProspects = async (
  t: TemporalTarget & { models: Models; keyRing: KeyRing },
  campaign: { _id: string; steps: { delayDays: number }[] },
  prospectIds: string[],
): Promise<EnrollResult> => {
  const result: EnrollResult = { enrolled: 0, alreadyEnrolled: 0, suppressed: 0, unknown: 0 };
  const delaysMs = campaign.steps.map((s) => s.delayDays * DAY_MS);
  await inBatches([...new Set(prospectIds)], async (prospectId) => {
    const prospect = await t.models.OutreachProspect.findById(prospectId, { email: 1 }).lean();
    if (!prospect) return void result.unknown++;
    if (await suppressionOf(t.models, t.keyRing, prospect.email)) return void result.suppressed++;
    const workflowId = outreachWorkflowId(campaign._id, prospectId);
    await t.models.OutreachEnrollment.updateOne(
      { _id: workflowId },
      { $setOnInsert: { campaignId: campaign._id, prospectId, status: 'active', stepsSent: 0 } },
      { upsert: true },
    );
    try {
      await withCallDeadline(t, () =>
        t.client.workflow.start(outreachWorkflow, {
          workflowId,
          taskQueue: t.taskQueue,
          args: [{ campaignId: campaign._id, prospectId, delaysMs }],
          // One sequence per prospect per campaign, ever: a finished one is not started again.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      result.enrolled++;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      result.alreadyEnrolled++;
    }
  });
  return result;
};

const signalAll = async (t: TemporalTarget, workflowIds: string[], send: (id: string) => Promise<void>) => {
  let signalled = 0;
  await inBatches(workflowIds, async (id) => {
    try {
      await withCallDeadline(t, () => send(id));
      signalled++;
    } catch (err) {
      // Already finished (or never started): nothing to tell it.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  });
  return signalled;
};

export const signalOutreachStop = (t: TemporalTarget, workflowIds: string[], reason: StopReason) =>
  signalAll(t, workflowIds, (id) => t.client.workflow.getHandle(id).signal(outreachStopSignal, { reason }));

export const signalOutreachPause = (t: TemporalTarget, workflowIds: string[]) =>
  signalAll(t, workflowIds, (id) => t.client.workflow.getHandle(id).signal(outreachPauseSignal));

export const signalOutreachResume = (t: TemporalTarget, workflowIds: string[]) =>
  signalAll(t, workflowIds, (id) => t.client.workflow.getHandle(id).signal(outreachResumeSignal));
