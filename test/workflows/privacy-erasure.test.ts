import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflow, type ConversationInput } from '../../workflows/conversation.js';
import { dataDeletionWorkflow } from '../../workflows/data-deletion.js';
import { ConversationModeAttr } from '../../temporal/search-attributes.js';
import { eventually } from '../helpers/eventually.js';
import { startWorkflowEnv, uniqueWorkflowId, withWorker, type StubActivities } from '../helpers/workflow-env.js';

const SETTINGS = { burstWindowMs: 0, retentionDays: 90, continueAsNewAfterBatches: 100, maxRememberedIds: 100 };

describe('a deletion request stops the person’s threads before it erases them', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startWorkflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const thread = (businessId: string) => {
    const contactId = uniqueWorkflowId('psid');
    const workflowId = `conversation:${businessId}:messenger:${contactId}`;
    const input: ConversationInput = {
      key: { businessId, channel: 'messenger', contactId },
      channelId: 'ch_test',
      workflowId,
      settings: SETTINGS,
    };
    return { workflowId, input };
  };
  const modeOf = async (workflowId: string) => {
    const d = await env.client.workflow.getHandle(workflowId).describe();
    return { status: d.status.name, mode: d.typedSearchAttributes.get(ConversationModeAttr) };
  };

  it('tells each running thread of the business; the thread stops between batches and waits, open, to be deleted', async () => {
    const businessId = uniqueWorkflowId('biz');
    const [mine, ended, foreign] = [thread(businessId), thread(businessId), thread(uniqueWorkflowId('biz_other'))];
    const seen: { stoppedIds?: string[]; atErase?: Record<string, { status: string; mode?: string }> } = {};
    const purged: string[] = [];

    const activities = {
      async openPrivacyRequest() {},
      async recordPrivacyRequestStep() {},
      async recordPrivacyRequestStatus() {},
      async findSubjectRecords() {
        // A foreign id can only come from a bug; the workflow must not tell that thread anything.
        return { conversationIds: [mine.workflowId, ended.workflowId, foreign.workflowId], leadIds: [], counts: {} };
      },
      async recordPrivacyTombstones() {
        return { counts: { tombstones: 1 } };
      },
      async eraseConversations(input: { stoppedIds?: string[] }) {
        seen.stoppedIds = input.stoppedIds;
        // What the real step waits for, then does: the told thread shows mode `erasing`, and deleting it ends it.
        await eventually(async () => (await modeOf(mine.workflowId)).mode === 'erasing', { what: 'thread erasing' });
        seen.atErase = { mine: await modeOf(mine.workflowId), foreign: await modeOf(foreign.workflowId) };
        await env.client.workflow.getHandle(mine.workflowId).terminate('erased');
        const workflowsStopped = input.stoppedIds?.length ?? 0;
        return { counts: { conversations: 1, messages: 0, workflowsStopped, workflowRunsDeleted: 1, workflowRunsTerminated: 0 } };
      },
      async eraseLeadEvents() {
        return { counts: { leadEvents: 0, notifications: 0, webhookDeliveries: 0 } };
      },
      async eraseLeads() {
        return { counts: { leads: 0 } };
      },
      async purgeConversation(input: { conversationId: string }) {
        purged.push(input.conversationId);
        return { deletedMessages: 0 };
      },
    } satisfies StubActivities;

    await withWorker(env, activities, async (taskQueue) => {
      for (const t of [mine, foreign])
        await env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId: t.workflowId, args: [t.input] });
      const deletion = await env.client.workflow.start(dataDeletionWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('privacy-request:deletion'),
        args: [
          { requestId: 'req_1', kind: 'deletion', source: 'business', subject: { email: 'a@example.com' }, subjectHash: 'h', businessId },
        ],
      });
      // Polled, not awaited: waiting on a result lets the test server skip time, and the threads have timers of their own.
      await eventually(async () => (await deletion.describe()).status.name === 'COMPLETED', { what: 'deletion completed' });
      const result = await deletion.result();
      expect(result.counts).toMatchObject({ conversations: 1, workflowsStopped: 1 });
      // Once nothing runs, the test server skips time and the untouched thread reaches its own timers: it may be gone.
      await env.client.workflow
        .getHandle(foreign.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    });

    // Only the running thread of this business was told (the ended one could not be, the foreign one must not be).
    expect(seen.stoppedIds).toEqual([mine.workflowId]);
    expect(seen.atErase).toEqual({ mine: { status: 'RUNNING', mode: 'erasing' }, foreign: { status: 'RUNNING', mode: 'auto' } });
    // The thread waited to be deleted instead of purging itself: the erasure counts and removes its records.
    expect(purged).toEqual([]);
  });
});
