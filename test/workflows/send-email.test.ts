/** sendEmailWorkflow with a stub delivery: an outage is retried with growing backoff until it goes out; a refusal is final. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { SendEmailInput, SendEmailResult } from '../../activities/email/deliver.js';
import { sendEmailWorkflow, sendEmailWorkflowId } from '../../workflows/send-email.js';
import { attemptInfo, startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';

const message = (key: string) => ({ to: ['owner@clinic.example'], subject: 'Welcome', text: 'Hi', html: '<p>Hi</p>', idempotencyKey: key });

describe('sendEmailWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('retries a failing send with growing intervals and returns sent once it goes out', async () => {
    const attempts: { attempt: number; scheduledAt: number }[] = [];
    const activities = {
      deliverEmail: async (_input: SendEmailInput): Promise<SendEmailResult> => {
        attempts.push(attemptInfo());
        if (attempts.length <= 4) throw new Error('Resend 503 (internal_server_error, retryable)');
        return { status: 'sent' };
      },
    } satisfies StubActivities;
    const key = uniqueWorkflowId('welcome');
    const result = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(sendEmailWorkflow, {
        taskQueue,
        workflowId: sendEmailWorkflowId(key),
        args: [{ message: message(key) }],
      }),
    );
    expect(result).toEqual({ status: 'sent' });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    const gaps = attempts.slice(1).map((a, i) => a.scheduledAt - attempts[i]!.scheduledAt);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
  });

  it('returns a refusal without retrying it', async () => {
    let calls = 0;
    const activities = {
      deliverEmail: async (): Promise<SendEmailResult> => {
        calls++;
        return { status: 'refused' };
      },
    } satisfies StubActivities;
    const key = uniqueWorkflowId('invite');
    const result = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(sendEmailWorkflow, {
        taskQueue,
        workflowId: sendEmailWorkflowId(key),
        args: [{ message: message(key) }],
      }),
    );
    expect(result).toEqual({ status: 'refused' });
    expect(calls).toBe(1);
  });
});
