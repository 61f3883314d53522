/**
 * A customer asked in the chat to have their data deleted ("delete my data") or to stop ("stop"): the
 * conversation workflow calls this, which starts the same workflows as Meta's callback, the public form and
 * the rights API, scoped to this business. "Stop" is an objection: the bot stops processing that person.
 */
import type { ConversationChannel } from '../../domain/conversation.js';
import { startPrivacyRequest } from '../../starters/privacy-requests.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { temporalOf } from './erasure.js';

export const createPrivacyIntakeActivities = (deps: ActivityDeps) => ({
  async openDeletionRequest(input: {
    source: 'chat';
    kind?: 'deletion' | 'objection';
    businessId: string;
    channel: ConversationChannel;
    contactId: string;
    conversationId: string;
    replyKey: string;
  }) {
    const kind = input.kind ?? 'deletion';
    const { client, taskQueue } = temporalOf(deps);
    const started = await startPrivacyRequest(
      { client, taskQueue, models: deps.models, keyRing: deps.keyRing, now: () => nowOf(deps) },
      {
        kind,
        source: input.source,
        subject: { contacts: [{ channel: input.channel, contactId: input.contactId }] },
        businessId: input.businessId,
        requestedBy: { type: 'subject' },
        // Keyed by the message that asked: a retried activity or a redelivered message starts nothing new.
        dedupeKey: `chat${kind === 'deletion' ? '' : `-${kind}`}:${input.conversationId}:${input.replyKey}`,
      },
    );
    deps.log.info({ requestId: started.requestId, businessId: input.businessId, isNew: started.isNew }, `${kind} requested in chat`);
    return { requestId: started.requestId, isNew: started.isNew };
  },
});
