/**
 * One prospect in one campaign: sends each step at its time (within the rate cap and the prospect's business
 * hours), and stops at once on reply, opt-out, bounce or complaint, or when the address or its domain is
 * suppressed (checked by the send activity immediately before every send). A paused campaign pauses it.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { StopReason } from '../domain/outreach/events.js';
import { outreachWorkflowId } from '../domain/outreach/ids.js';

export { outreachWorkflowId };

export type OutreachInput = {
  campaignId: string;
  prospectId: string;
  /** Wait before each step, from the previous one (the first: from enrollment). Fixed at enrollment. */
  delaysMs: number[];
};
export type OutreachResult = { outcome: 'completed' | 'stopped'; reason?: StopReason; stepsSent: number };
export type OutreachState = {
  stepsSent: number;
  isPaused: boolean;
  stopReason?: StopReason;
  waitingFor?: 'delay' | 'business-hours' | 'rate-cap' | 'resume';
};

/** Signals, not updates: the webhook, the opt-out link and staff fire and forget; the records are already written. */
export const outreachStopSignal = defineSignal<[{ reason: StopReason }]>('outreachStop');
export const outreachPauseSignal = defineSignal('outreachPause');
export const outreachResumeSignal = defineSignal('outreachResume');
export const outreachStateQuery = defineQuery<OutreachState>('outreachState');

const MIN_WAIT_MS = 1_000;

const sender = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  // Resend down for hours: keep trying at most every 10 minutes; the provider idempotency key prevents doubles.
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '10m' },
});

export async function outreachWorkflow(input: OutreachInput): Promise<OutreachResult> {
  const state: OutreachState = { stepsSent: 0, isPaused: false };
  setHandler(outreachStopSignal, ({ reason }) => {
    state.stopReason ??= reason;
  });
  setHandler(outreachPauseSignal, () => {
    state.isPaused = true;
  });
  setHandler(outreachResumeSignal, () => {
    state.isPaused = false;
  });
  setHandler(outreachStateQuery, () => ({ ...state }));
  const isStopped = () => state.stopReason !== undefined;
  const { workflowId } = workflowInfo();

  /** Sends one step, waiting out pauses, business hours and the rate cap; false when the sequence stopped. */
  const sendStep = async (step: number): Promise<boolean> => {
    for (;;) {
      state.waitingFor = 'resume';
      await condition(() => !state.isPaused || isStopped());
      state.waitingFor = undefined;
      if (isStopped()) return false;
      const r = await sender.sendOutreachStep({
        workflowId,
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        step,
      });
      if (r.kind === 'sent') return true;
      if (r.kind === 'stopped') {
        state.stopReason ??= r.reason;
        return false;
      }
      if (r.kind === 'paused') state.isPaused = true;
      else {
        state.waitingFor = r.why;
        await condition(() => isStopped() || state.isPaused, Math.max(r.waitMs, MIN_WAIT_MS));
      }
    }
  };

  for (let step = 0; step < input.delaysMs.length && !isStopped(); step++) {
    state.waitingFor = 'delay';
    await condition(isStopped, Math.max(input.delaysMs[step] ?? 0, 0) || MIN_WAIT_MS);
    state.waitingFor = undefined;
    if (isStopped() || !(await sendStep(step))) break;
    state.stepsSent++;
  }
  const result: OutreachResult = isStopped()
    ? { outcome: 'stopped', reason: state.stopReason, stepsSent: state.stepsSent }
    : { outcome: 'completed', stepsSent: state.stepsSent };
  await sender.finishOutreachEnrollment({ workflowId, ...result });
  return result;
}
