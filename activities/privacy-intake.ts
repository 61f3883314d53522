/**
 * A customer asked in the chat to have their data deleted: the conversation workflow calls this, which
 * starts the same DataDeletionWorkflow as Meta's callback and the public form, scoped to this business.
 */
import type { ConversationChannel } from '../workflows/conversation-types.js';
import { startPrivacyRequest } from '../temporal/privacy-requests.js';
import { nowOf, type ActivityDeps } from './deps.js';
import { temporalOf } from './privacy-erasure.js';

export const createPrivacyIntakeActivities = (deps: ActivityDeps) => ({
  async openDeletionRequest(input: { source: 'chat'; businessId: string; channel: ConversationChannel; contactId: string; conversationId: string; replyKey: string }) {
    const { client, taskQueue } = temporalOf(deps);
    const started = await startPrivacyRequest(
      { client, taskQueue, models: deps.models, keyRing: deps.keyRing, now: () => nowOf(deps) },
      {
        kind: 'deletion',
        source: input.source,
        subject: { contacts: [{ channel: input.channel, contactId: input.contactId }] },
        businessId: input.businessId,
        requestedBy: { type: 'subject' },
        // Keyed by the message that asked: a retried activity or a redelivered message starts nothing new.
        dedupeKey: `chat:${input.conversationId}:${input.replyKey}`,
      },
    );
    deps.log.info({ requestId: started.requestId, businessId: input.businessId, isNew: started.isNew }, 'deletion requested in chat');
    return { requestId: started.requestId, isNew: started.isNew };
  },
});
