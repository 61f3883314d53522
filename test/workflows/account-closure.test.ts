import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Failure } from '../../domain/failures.js';
import {
  accountClosureStatusQuery,
  accountClosureWorkflow,
  accountClosureWorkflowId,
  CLOSURE_GRACE_MS,
} from '../../workflows/account-closure.js';
import { eventually } from '../helpers/eventually.js';
import {
  attemptInfo,
  expectActivityFailure,
  startWorkflowEnv,
  uniqueWorkflowId,
  withWorker,
  type StubActivities,
} from '../helpers/workflow-env.js';

/** The closure's activities, recording the order they ran in and when (server time); `overrides` replace any of them. */
const closureStub = (opts: { conversationBatches?: number[]; overrides?: StubActivities } = {}) => {
  const ran: { step: string; at: number }[] = [];
  const batches = [...(opts.conversationBatches ?? [0])];
  const record = (step: string) => ran.push({ step, at: attemptInfo().scheduledAt });
  const purged: Record<string, number>[] = [];
  const activities = {
    async beginAccountClosure() {
      record('begin');
      return { counts: { businesses: 1 } };
    },
    async disconnectChannelsForClosure() {
      record('disconnect_channels');
      return { counts: { channels: 2 } };
    },
    async cancelSubscriptionForClosure() {
      record('cancel_billing');
      return { counts: { cancelled: 1, customersDeleted: 1 }, outcome: 'cancelled' };
    },
    async purgeBusinessConversations() {
      record('purge_conversations');
      const conversations = batches.shift() ?? 0;
      return { counts: { conversations, messages: conversations * 3, workflowRunsDeleted: conversations }, hasMore: batches.length > 0 };
    },
    async purgeBusinessRecords(input: { businessId: string; conversationCounts: Record<string, number> }) {
      record('purge_records');
      purged.push(input.conversationCounts);
      return { counts: { ...input.conversationCounts, leads: 4 } };
    },
    ...opts.overrides,
  } satisfies StubActivities;
  return { ran, purged, activities };
};

describe('accountClosureWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('disconnects and cancels at once, purges only after the 30-day grace period, batch by batch', async () => {
    const stub = closureStub({ conversationBatches: [100, 100, 7] });
    const workflowId = accountClosureWorkflowId(uniqueWorkflowId('biz'));
    const { result, closing } = await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(accountClosureWorkflow, { taskQueue, workflowId, args: [{ businessId: 'biz_a' }] });
      // Queries do not move the test server's clock: the grace period has not started to pass yet.
      const closing = await eventually(async () => {
        const status = await handle.query(accountClosureStatusQuery);
        return status.steps.length === 3 && status;
      });
      return { closing, result: await handle.result() };
    });
    expect(closing).toMatchObject({ status: 'closing', steps: ['begin', 'disconnect_channels', 'cancel_billing'] });
    expect(stub.ran.map((r) => r.step)).toEqual([
      'begin',
      'disconnect_channels',
      'cancel_billing',
      'purge_conversations',
      'purge_conversations',
      'purge_conversations',
      'purge_records',
    ]);
    const began = stub.ran[0]!.at;
    expect(closing.purgeAt - began).toBeGreaterThanOrEqual(CLOSURE_GRACE_MS - 1000);
    expect(stub.ran[3]!.at).toBeGreaterThanOrEqual(closing.purgeAt);
    expect(stub.purged).toEqual([{ conversations: 207, messages: 621, workflowRunsDeleted: 207 }]);
    expect(result).toEqual({
      businessId: 'biz_a',
      status: 'closed',
      counts: { conversations: 207, messages: 621, workflowRunsDeleted: 207, leads: 4 },
    });
  });

  it('waits out a failing step with the given retry policy, then carries on', async () => {
    let failures = 3;
    const stub = closureStub({
      overrides: {
        async cancelSubscriptionForClosure() {
          if (failures-- > 0) throw new Error('stripe 503');
          return { counts: { cancelled: 1, customersDeleted: 0 }, outcome: 'cancelled' };
        },
      },
    });
    const result = await withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(accountClosureWorkflow, {
        taskQueue,
        workflowId: accountClosureWorkflowId(uniqueWorkflowId('biz')),
        args: [{ businessId: 'biz_b', graceMs: 1000, stepRetry: { initialInterval: '1 hour', maximumInterval: '1 hour' } }],
      }),
    );
    expect(result.status).toBe('closed');
    expect(failures).toBe(-1);
  });

  it('fails at once on a step refused as invalid input (not retried)', async () => {
    let calls = 0;
    const stub = closureStub({
      overrides: {
        async disconnectChannelsForClosure() {
          calls++;
          throw ApplicationFailure.nonRetryable('no such business', Failure.InvalidInput);
        },
      },
    });
    const run = withWorker(env, stub.activities, (taskQueue) =>
      env.client.workflow.execute(accountClosureWorkflow, {
        taskQueue,
        workflowId: accountClosureWorkflowId(uniqueWorkflowId('biz')),
        args: [{ businessId: 'biz_c' }],
      }),
    );
    await expectActivityFailure(run, Failure.InvalidInput);
    expect(calls).toBe(1);
    expect(stub.ran.map((r) => r.step)).toEqual(['begin']);
  });
});
