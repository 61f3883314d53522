/**
 * Erases everything held about one person — conversations (records and Temporal histories), lead events,
 * leads and, for a Facebook Login user, what we hold from Facebook — with an audit entry of counts per step,
 * within 30 days of receipt. Started by Meta's callback, the chat, the public form and the rights API alike.
 */
import { privacyRequestStatusQuery, createRequestTracker, tellConversations } from './privacy-request-tracker.js';
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
  // A scoped request tells only its business's threads (their workflow ids name the business); the step checks again.
  const inScope = (ids: string[]) => (input.businessId ? ids.filter((id) => id.startsWith(`conversation:${input.businessId}:`)) : ids);
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
    // Conversations first: each running thread is told to stop for good, and once it has stopped between batches its
    // history and records are deleted (nothing in flight writes them back; deleting its open run ends it at once).
    const erased = await step('erase_conversations', async () => {
      const stoppedIds = await tellConversations(inScope(found.conversationIds), { action: 'delete' });
      return steps.eraseConversations({ ...scope, conversationIds: found.conversationIds, stoppedIds });
    });
    add(erased.counts);
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
