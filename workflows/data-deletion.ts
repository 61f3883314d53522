/**
 * Erases everything held about one person — conversations (records and Temporal histories), lead events,
 * leads and, for a Facebook Login user, what we hold from Facebook — with an audit entry of counts per step,
 * within 30 days of receipt. Started by Meta's callback, the chat, the public form and the rights API alike.
 */
import { privacyRequestStatusQuery, createRequestTracker } from './privacy-request-tracker.js';
import type { PrivacyRequestBase, StepCounts } from '../domain/privacy-requests.js';

export * from '../domain/privacy-requests.js';

/** Status, steps and deadline of a deletion request (the same query every privacy request answers). */
export const deletionStatusQuery = privacyRequestStatusQuery;

export type DataDeletionInput = PrivacyRequestBase & { kind: 'deletion' };

export type DataDeletionResult = { requestId: string; status: 'completed'; counts: StepCounts; wasOverdue: boolean };

export async function dataDeletionWorkflow(input: DataDeletionInput): Promise<DataDeletionResult> {
  const tracker = createRequestTracker(input);
  const { steps, step } = tracker;
  const scope = { requestId: input.requestId, businessId: input.businessId };
  const counts: StepCounts = {};
  const add = (c: StepCounts) => {
    for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + v;
  };

  await tracker.run(async () => {
    const found = await step('find_subject_records', () => steps.findSubjectRecords({ ...scope, subject: input.subject }));
    // Before anything goes: from here a redelivered event for this person is dropped instead of recreating the thread.
    add(
      (
        await step('record_tombstones', () =>
          steps.recordPrivacyTombstones({
            ...scope,
            subject: input.subject,
            conversationIds: found.conversationIds,
            leadIds: found.leadIds,
            mark: 'erased',
          }),
        )
      ).counts,
    );
    // Conversations first: their workflows are stopped before their records go, so nothing writes them back.
    add((await step('erase_conversations', () => steps.eraseConversations({ ...scope, conversationIds: found.conversationIds }))).counts);
    add(
      (
        await step('erase_lead_events', () =>
          steps.eraseLeadEvents({ ...scope, leadIds: found.leadIds, conversationIds: found.conversationIds }),
        )
      ).counts,
    );
    add((await step('erase_leads', () => steps.eraseLeads({ ...scope, leadIds: found.leadIds }))).counts);
    if (input.subject.asid)
      add((await step('erase_facebook_data', () => steps.eraseFacebookData({ ...scope, asid: input.subject.asid! }))).counts);
  });
  return { requestId: input.requestId, status: 'completed', counts, wasOverdue: tracker.progress.completedAt! > tracker.progress.dueAt };
}
