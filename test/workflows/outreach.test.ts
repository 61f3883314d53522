import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutreachStepInput, OutreachStepResult } from '../../activities/outreach/index.js';
import { outreachSendId } from '../../domain/outreach/ids.js';
import {
  outreachPauseSignal,
  outreachResumeSignal,
  outreachStateQuery,
  outreachStopSignal,
  outreachWorkflow,
  outreachWorkflowId,
} from '../../workflows/outreach.js';
import { eventually } from '../helpers/eventually.js';
import { attemptInfo, startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { DAY_MS } from '../../lib/durations.js';

const THREE_STEPS = [0, 3 * DAY_MS, 7 * DAY_MS];

/** A send stub that records each step with the workflow time it was asked at; `answer` may refuse or delay. */
const sendStub = (answer: (i: OutreachStepInput, n: number) => OutreachStepResult | undefined = () => undefined) => {
  const sent: { step: number; atMs: number }[] = [];
  const finished: unknown[] = [];
  let calls = 0;
  return {
    sent,
    finished,
    activities: {
      async sendOutreachStep(i: OutreachStepInput): Promise<OutreachStepResult> {
        const a = answer(i, calls++);
        if (a) return a;
        sent.push({ step: i.step, atMs: attemptInfo().scheduledAt });
        return { kind: 'sent', sendId: outreachSendId(i.workflowId, i.step) };
      },
      async finishOutreachEnrollment(i: unknown) {
        finished.push(i);
      },
    } satisfies StubActivities,
  };
};

describe('outreachWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const ids = () => {
    const [campaignId, prospectId] = [uniqueWorkflowId('cmp'), uniqueWorkflowId('prs')];
    return { campaignId, prospectId, workflowId: outreachWorkflowId(campaignId, prospectId) };
  };

  /** Starts a three-step sequence and waits until step one has gone out. */
  const startAndSendStepOne = async (taskQueue: string, id: { campaignId: string; prospectId: string; workflowId: string }) => {
    const handle = await env.client.workflow.start(outreachWorkflow, {
      taskQueue,
      workflowId: id.workflowId,
      args: [{ campaignId: id.campaignId, prospectId: id.prospectId, delaysMs: THREE_STEPS }],
    });
    await eventually(async () => (await handle.query(outreachStateQuery)).stepsSent === 1, { what: 'step one sent' });
    return handle;
  };

  it('sends a three-step campaign on schedule: day 0, day 3, day 10', async () => {
    const stub = sendStub();
    const { campaignId, prospectId, workflowId } = ids();
    const start = await env.currentTimeMs();
    const result = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(outreachWorkflow, { taskQueue, workflowId, args: [{ campaignId, prospectId, delaysMs: THREE_STEPS }] }),
    );
    expect(result).toEqual({ outcome: 'completed', stepsSent: 3 });
    expect(stub.sent.map((s) => s.step)).toEqual([0, 1, 2]);
    const days = stub.sent.map((s) => Math.round((s.atMs - start) / DAY_MS));
    expect(days).toEqual([0, 3, 10]);
    expect(stub.finished).toEqual([{ workflowId, outcome: 'completed', stepsSent: 3 }]);
  });

  it('an opt-out after step one stops steps two and three at once', async () => {
    const stub = sendStub();
    const { campaignId, prospectId, workflowId } = ids();
    const result = await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await startAndSendStepOne(taskQueue, { campaignId, prospectId, workflowId });
      await handle.signal(outreachStopSignal, { reason: 'opted-out' });
      const r = await handle.result();
      // Stopped without waiting for the day-3 timer.
      const { startTime, closeTime } = await handle.describe();
      expect(closeTime!.getTime() - startTime.getTime()).toBeLessThan(DAY_MS);
      return r;
    });
    expect(result).toEqual({ outcome: 'stopped', reason: 'opted-out', stepsSent: 1 });
    expect(stub.sent.map((s) => s.step)).toEqual([0]);
  });

  it('a reply stops the sequence', async () => {
    const stub = sendStub();
    const { campaignId, prospectId, workflowId } = ids();
    const result = await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await startAndSendStepOne(taskQueue, { campaignId, prospectId, workflowId });
      await env.sleep('1 day');
      await handle.signal(outreachStopSignal, { reason: 'replied' });
      return handle.result();
    });
    expect(result).toEqual({ outcome: 'stopped', reason: 'replied', stepsSent: 1 });
    expect(stub.sent).toHaveLength(1);
  });

  it('a bounce suppresses: the next send finds the address suppressed and the sequence ends', async () => {
    // The bounce webhook suppresses the address; the check before step two answers "suppressed".
    const stub = sendStub((i) => (i.step === 1 ? { kind: 'stopped', reason: 'suppressed' } : undefined));
    const { campaignId, prospectId, workflowId } = ids();
    const result = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(outreachWorkflow, { taskQueue, workflowId, args: [{ campaignId, prospectId, delaysMs: THREE_STEPS }] }),
    );
    expect(result).toEqual({ outcome: 'stopped', reason: 'suppressed', stepsSent: 1 });
    expect(stub.sent.map((s) => s.step)).toEqual([0]);
    expect(stub.finished).toEqual([{ workflowId, outcome: 'stopped', reason: 'suppressed', stepsSent: 1 }]);
  });

  it('waits for the slot the rate cap gives, then sends', async () => {
    const start = await env.currentTimeMs();
    const stub = sendStub((_i, n) => (n === 0 ? { kind: 'wait', waitMs: 60 * 60_000, why: 'rate-cap' } : undefined));
    const { campaignId, prospectId, workflowId } = ids();
    const result = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(outreachWorkflow, { taskQueue, workflowId, args: [{ campaignId, prospectId, delaysMs: [0] }] }),
    );
    expect(result).toEqual({ outcome: 'completed', stepsSent: 1 });
    expect(stub.sent[0]!.atMs - start).toBeGreaterThanOrEqual(60 * 60_000);
  });

  it('a paused campaign sends nothing until resumed', async () => {
    const stub = sendStub();
    const { campaignId, prospectId, workflowId } = ids();
    await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(outreachWorkflow, {
        taskQueue,
        workflowId,
        args: [{ campaignId, prospectId, delaysMs: [DAY_MS, DAY_MS] }],
      });
      await handle.signal(outreachPauseSignal);
      await env.sleep('3 days');
      expect(await handle.query(outreachStateQuery)).toMatchObject({ stepsSent: 0, isPaused: true, waitingFor: 'resume' });
      expect(stub.sent).toHaveLength(0);
      await handle.signal(outreachResumeSignal);
      expect(await handle.result()).toEqual({ outcome: 'completed', stepsSent: 2 });
    });
    expect(stub.sent.map((s) => s.step)).toEqual([0, 1]);
  });
});
