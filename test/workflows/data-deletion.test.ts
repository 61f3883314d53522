import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Failure } from '../../domain/failures.js';
import { dataDeletionWorkflow, deletionStatusQuery, type DataDeletionInput } from '../../workflows/data-deletion.js';
import { DUE_AFTER_MS, privacyRequestWorkflowId, REMINDER_AFTER_MS } from '../../workflows/privacy-request-tracker.js';
import {
  attemptInfo,
  expectActivityFailure,
  startWorkflowEnv,
  uniqueWorkflowId,
  withWorker,
  type StubActivities,
} from '../helpers/workflow-env.js';

/**
 * The deletion's activities, recording the audit trail it writes (steps, statuses, reminder, each with server
 * time); `findFailures` makes the first lookups throw, as during a long outage.
 */
const deletionStubs = (opts: { findFailures?: number; overrides?: StubActivities } = {}) => {
  const audit: { what: string; at: number }[] = [];
  let findFailures = opts.findFailures ?? 0;
  const log = (what: string) => audit.push({ what, at: attemptInfo().scheduledAt });
  const activities = {
    async openPrivacyRequest(input: { dueAt: number; receivedAt: number }) {
      log(`open:${input.dueAt - input.receivedAt}`);
    },
    async recordPrivacyRequestStep(input: { step: string }) {
      log(`step:${input.step}`);
    },
    async recordPrivacyRequestStatus(input: { status: string }) {
      log(`status:${input.status}`);
    },
    async sendPrivacyRequestReminder(input: { currentStep?: string }) {
      log(`reminder:${input.currentStep}`);
      return { delivered: true };
    },
    async recordPrivacyRequestReminder() {},
    async sendPrivacyRequestEscalation(input: { currentStep?: string }) {
      log(`escalation:${input.currentStep}`);
      return { delivered: true };
    },
    async sendPrivacyRequestNotice(input: { stage: string; to: string; receivedAt: number; dueAt: number }) {
      log(`notice:${input.stage}:${input.to}:${input.dueAt - input.receivedAt}`);
      return { delivered: true };
    },
    async findSubjectRecords() {
      if (findFailures-- > 0) throw new Error('graph 500');
      return { conversationIds: [], leadIds: ['lead_1', 'lead_2'], counts: { leads: 2 } };
    },
    async recordPrivacyTombstones() {
      return { counts: { tombstones: 1 } };
    },
    async eraseConversations() {
      return { counts: { conversations: 0, messages: 0, workflowsStopped: 0, workflowRunsDeleted: 0, workflowRunsTerminated: 0 } };
    },
    async eraseLeadEvents() {
      return { counts: { leadEvents: 3, notifications: 2, webhookDeliveries: 1 } };
    },
    async eraseLeads() {
      return { counts: { leads: 2 } };
    },
    async eraseFacebookData() {
      return { counts: { channels: 1, pendingConnections: 0, users: 1, businesses: 0 } };
    },
    ...opts.overrides,
  } satisfies StubActivities;
  return { audit, activities, whats: () => audit.map((a) => a.what) };
};

const request = (over: Partial<DataDeletionInput> = {}): DataDeletionInput => ({
  requestId: uniqueWorkflowId('req'),
  kind: 'deletion',
  source: 'meta_callback',
  subject: { asid: 'asid-1' },
  subjectHash: 'hash-1',
  ...over,
});

describe('dataDeletionWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const run = (activities: StubActivities, input: DataDeletionInput) =>
    withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(dataDeletionWorkflow, {
        taskQueue,
        workflowId: privacyRequestWorkflowId('deletion', input.requestId),
        args: [input],
      }),
    );

  it('erases step by step, each step audited with its counts, the Facebook data of a Login user last', async () => {
    const stub = deletionStubs();
    const input = request();
    const result = await run(stub.activities, input);
    expect(stub.whats()).toEqual([
      `open:${DUE_AFTER_MS}`,
      'step:find_subject_records',
      'step:record_tombstones',
      'step:erase_conversations',
      'step:erase_lead_events',
      'step:erase_leads',
      'step:erase_facebook_data',
      'status:completed',
    ]);
    expect(result).toEqual({
      requestId: input.requestId,
      status: 'completed',
      wasOverdue: false,
      counts: {
        tombstones: 1,
        conversations: 0,
        messages: 0,
        workflowsStopped: 0,
        workflowRunsDeleted: 0,
        workflowRunsTerminated: 0,
        leadEvents: 3,
        notifications: 2,
        webhookDeliveries: 1,
        leads: 2,
        channels: 1,
        pendingConnections: 0,
        users: 1,
        businesses: 0,
      },
    });
  });

  it('has no Facebook step for a person who never used Facebook Login', async () => {
    const stub = deletionStubs();
    await run(stub.activities, request({ source: 'business', subject: { email: 'sam@example.com' }, businessId: 'biz_a' }));
    expect(stub.whats()).not.toContain('step:erase_facebook_data');
  });

  it('reminds at day 21 and marks the request overdue at day 30 while a step keeps failing, then completes it late', async () => {
    // A day between attempts: the lookup works again on day 32.
    const stub = deletionStubs({ findFailures: 32 });
    const input = request({ stepRetry: { initialInterval: '1 day', backoffCoefficient: 1, maximumInterval: '1 day' } });
    const workflowId = privacyRequestWorkflowId('deletion', input.requestId);
    const { result, status } = await withWorker(env, stub.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(dataDeletionWorkflow, { taskQueue, workflowId, args: [input] });
      const result = await handle.result();
      return { result, status: await handle.query(deletionStatusQuery) };
    });
    expect(stub.whats().slice(0, 5)).toEqual([
      `open:${DUE_AFTER_MS}`,
      'reminder:find_subject_records',
      'status:overdue',
      'escalation:find_subject_records',
      'step:find_subject_records',
    ]);
    expect(stub.whats().at(-1)).toBe('status:completed');
    const at = (what: string) => stub.audit.find((a) => a.what === what)!.at;
    const openedAt = at(`open:${DUE_AFTER_MS}`);
    expect(at('reminder:find_subject_records') - openedAt).toBeGreaterThanOrEqual(REMINDER_AFTER_MS - 1000);
    expect(at('status:overdue') - openedAt).toBeGreaterThanOrEqual(DUE_AFTER_MS - 1000);
    expect(at('escalation:find_subject_records')).toBeGreaterThanOrEqual(at('status:overdue'));
    expect(result.wasOverdue).toBe(true);
    expect(status).toMatchObject({ status: 'completed', isReminderSent: true });
  });

  it('tells the person who asked at receipt and at completion, the deadline counted from the receipt it was given', async () => {
    const opened: { receivedAt: number; dueAt: number }[] = [];
    const stub = deletionStubs({
      overrides: {
        async openPrivacyRequest(i: { receivedAt: number; dueAt: number }) {
          opened.push(i);
        },
      },
    });
    const receivedAt = (await env.currentTimeMs()) - 60_000;
    const input = request({ source: 'form', subject: { email: 'dana@example.com' }, notifyEmail: 'dana@example.com', receivedAt });
    await run(stub.activities, input);
    const whats = stub.whats();
    expect(opened).toEqual([{ ...opened[0], receivedAt, dueAt: receivedAt + DUE_AFTER_MS }]);
    expect(whats).toContain(`notice:received:dana@example.com:${DUE_AFTER_MS}`);
    expect(whats.at(-2)).toBe('status:completed');
    expect(whats.at(-1)).toBe(`notice:completed:dana@example.com:${DUE_AFTER_MS}`);
    // No address, nobody to tell: a Meta callback's request sends nothing.
    const silent = deletionStubs();
    await run(silent.activities, request());
    expect(silent.whats().filter((w) => w.startsWith('notice:'))).toEqual([]);
  });

  it('fails at once, unretried and not completed, when a step refuses its input', async () => {
    let finds = 0;
    const stub = deletionStubs({
      overrides: {
        async findSubjectRecords() {
          finds++;
          throw ApplicationFailure.nonRetryable('subject has no identifier', Failure.InvalidInput);
        },
      },
    });
    await expectActivityFailure(run(stub.activities, request()), Failure.InvalidInput);
    expect(finds).toBe(1);
    expect(stub.whats()).toEqual([`open:${DUE_AFTER_MS}`]);
  });
});
