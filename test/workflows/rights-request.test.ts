import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadCorrection } from '../../domain/privacy-requests.js';
import { conversationStateQuery, conversationWorkflow, type ConversationInput } from '../../workflows/conversation.js';
import { privacyRequestWorkflowId } from '../../workflows/privacy-request-tracker.js';
import { rightsRequestWorkflow, type RightsRequestInput, type RightsRequestKind } from '../../workflows/rights-request.js';
import { eventually } from '../helpers/eventually.js';
import { startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';

const SETTINGS = { burstWindowMs: 0, retentionDays: 90, continueAsNewAfterBatches: 100, maxRememberedIds: 100 };

/** The rights request's activities; `threads` are the conversations restrictSubjectProcessing reports for the person. */
const rightsStubs = (threads: string[] = []) => {
  const steps: string[] = [];
  const calls: { corrections: LeadCorrection[]; toldToRestrict: string[][]; modes: string[] } = {
    corrections: [],
    toldToRestrict: [],
    modes: [],
  };
  const activities = {
    async openPrivacyRequest() {},
    async recordPrivacyRequestStep(input: { step: string }) {
      steps.push(input.step);
    },
    async recordPrivacyRequestStatus() {},
    async findSubjectRecords() {
      return { conversationIds: threads, leadIds: ['lead_1'], counts: { leads: 1 } };
    },
    async compileSubjectExport() {
      return { counts: { leads: 1, conversations: threads.length, messages: 4, notifications: 1 } };
    },
    async correctSubjectLeads(input: { correction: LeadCorrection }) {
      calls.corrections.push(input.correction);
      return { counts: { leads: 1, fields: Object.keys(input.correction).length } };
    },
    async recordPrivacyTombstones() {
      return { counts: { tombstones: 1 } };
    },
    async restrictSubjectProcessing() {
      return { counts: { conversations: threads.length, businessesAlerted: 1 }, conversationIds: threads };
    },
    async awaitConversationsRestricted(input: { conversationIds: string[] }) {
      calls.toldToRestrict.push(input.conversationIds);
      return { restricted: input.conversationIds.length };
    },
    // The conversation's own activity, for the thread the request tells.
    async setConversationMode(input: { mode: string }) {
      calls.modes.push(input.mode);
    },
  } satisfies StubActivities;
  return { steps, calls, activities };
};

describe('rightsRequestWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const input = (kind: RightsRequestKind, over: Partial<RightsRequestInput> = {}): RightsRequestInput => ({
    requestId: uniqueWorkflowId('req'),
    kind,
    source: 'business',
    subject: { email: 'sam@example.com' },
    subjectHash: 'hash-1',
    businessId: 'biz_a',
    ...over,
  });
  const execute = (taskQueue: string, request: RightsRequestInput) =>
    env.client.workflow.execute(rightsRequestWorkflow, {
      taskQueue,
      workflowId: privacyRequestWorkflowId(request.kind, request.requestId),
      args: [request],
    });

  it('answers an access request with an export of what is held', async () => {
    const stub = rightsStubs(['conversation:biz_a:web:s1']);
    const request = input('access');
    const result = await withWorker(env, stub.activities, (taskQueue) => execute(taskQueue, request));
    expect(stub.steps).toEqual(['find_subject_records', 'compile_export']);
    expect(result).toEqual({
      requestId: request.requestId,
      kind: 'access',
      status: 'completed',
      counts: { leads: 1, conversations: 1, messages: 4, notifications: 1 },
    });
  });

  it('applies a correction to the person’s leads', async () => {
    const stub = rightsStubs();
    const result = await withWorker(env, stub.activities, (taskQueue) =>
      execute(taskQueue, input('correction', { correction: { email: 'sam.new@example.com' } })),
    );
    expect(stub.steps).toEqual(['find_subject_records', 'correct_leads']);
    expect(stub.calls.corrections).toEqual([{ email: 'sam.new@example.com' }]);
    expect(result.counts).toEqual({ leads: 1, fields: 1 });
  });

  it('an objection marks the person and tells each running thread to stop answering, then waits for it', async () => {
    const contactId = uniqueWorkflowId('psid');
    const running: ConversationInput = {
      key: { businessId: 'biz_a', channel: 'messenger', contactId },
      channelId: 'ch_a',
      workflowId: `conversation:biz_a:messenger:${contactId}`,
      settings: SETTINGS,
    };
    const ended = `conversation:biz_a:messenger:${uniqueWorkflowId('gone')}`;
    const stub = rightsStubs([running.workflowId, ended]);
    const { result, mode } = await withWorker(env, stub.activities, async (taskQueue) => {
      const thread = await env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId: running.workflowId, args: [running] });
      const request = input('objection');
      const handle = await env.client.workflow.start(rightsRequestWorkflow, {
        taskQueue,
        workflowId: privacyRequestWorkflowId(request.kind, request.requestId),
        args: [request],
      });
      // Polled, not awaited: awaiting a result lets the test server skip time, and the thread has timers of its own.
      await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'request completed' });
      const result = await handle.result();
      const mode = await eventually(async () => {
        const state = await thread.query(conversationStateQuery);
        return !state.isProcessing && state.mode;
      });
      await thread.terminate('test over');
      return { result, mode };
    });
    expect(stub.steps).toEqual(['find_subject_records', 'record_tombstones', 'restrict_processing']);
    // The thread that has ended could not be told, and needs no telling: its stored mode was set by the activity.
    expect(stub.calls.toldToRestrict).toEqual([[running.workflowId]]);
    expect(mode).toBe('restricted');
    expect(stub.calls.modes).toEqual(['restricted']);
    expect(result.counts).toEqual({ tombstones: 1, conversations: 2, workflows: 1, businessesAlerted: 1 });
  });
});
