/**
 * Answers a data subject's access, correction, restriction or objection request (GDPR art. 15–21) within
 * 30 days, leaving an audit entry per step. Deletion requests run as dataDeletionWorkflow instead.
 */
import { createRequestTracker, privacyRequestStatusQuery, tellConversations } from './privacy-request-tracker.js';
import type { LeadCorrection, PrivacyRequestBase, StepCounts } from '../domain/privacy-requests.js';

export const rightsRequestStatusQuery = privacyRequestStatusQuery;

export type RightsRequestKind = 'access' | 'correction' | 'restriction' | 'objection';

export type RightsRequestInput = PrivacyRequestBase & { kind: RightsRequestKind; correction?: LeadCorrection };

export type RightsRequestResult = { requestId: string; kind: RightsRequestKind; status: 'completed'; counts: StepCounts };

export async function rightsRequestWorkflow(input: RightsRequestInput): Promise<RightsRequestResult> {
  const tracker = createRequestTracker(input);
  const { steps, step } = tracker;
  const scope = { requestId: input.requestId, businessId: input.businessId };

  const counts = await tracker.run(async () => {
    const found = await step('find_subject_records', () => steps.findSubjectRecords({ ...scope, subject: input.subject }));
    const records = { ...scope, conversationIds: found.conversationIds, leadIds: found.leadIds };
    const kind = input.kind;
    switch (kind) {
      case 'access':
        return (await step('compile_export', () => steps.compileSubjectExport(records))).counts;
      case 'correction':
        return (await step('correct_leads', () => steps.correctSubjectLeads({ ...records, correction: input.correction ?? {} }))).counts;
      case 'restriction':
      case 'objection': {
        // The tombstone outlives the threads (the 90-day purge): the person's later messages are not processed either.
        const marked = await step('record_tombstones', () =>
          steps.recordPrivacyTombstones({ ...records, subject: input.subject, mark: kind }),
        );
        const restricted = await step('restrict_processing', async () => {
          // The stored mode first (a thread whose workflow has ended picks it up when the person writes again), then
          // each running thread is told, and the step waits until they have restricted themselves.
          const r = await steps.restrictSubjectProcessing({ ...records, kind });
          const told = await tellConversations(r.conversationIds, { action: 'restrict' });
          await steps.awaitConversationsRestricted({ requestId: input.requestId, conversationIds: told });
          return {
            counts: { conversations: r.counts.conversations, workflows: told.length, businessesAlerted: r.counts.businessesAlerted },
          };
        });
        return { ...marked.counts, ...restricted.counts };
      }
    }
  });
  return { requestId: input.requestId, kind: input.kind, status: 'completed', counts };
}
