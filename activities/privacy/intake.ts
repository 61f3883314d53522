/**
 * A customer asked in the chat to have their data deleted ("delete my data") or to stop ("stop"): the same
 * workflows as Meta's callback, the public form and the rights API, scoped to this business, which the
 * conversation starts as its child. "Stop" is an objection: the bot stops processing that person.
 */
import type { ConversationChannel } from '../../domain/conversation.js';
import { stableRequestId, subjectHashOf } from '../../domain/privacy-request-ids.js';
import type { PrivacyRequestBase } from '../../domain/privacy-requests.js';
import type { ActivityDeps } from '../deps.js';

export type ChatPrivacyRequest = PrivacyRequestBase & { kind: 'deletion' | 'objection' };

export const createPrivacyIntakeActivities = (deps: ActivityDeps) => ({
  /**
   * The request a chat ask becomes, for the conversation to start: its id is keyed by the message that asked, so a
   * retried step or a redelivered message lands on the same request and workflow. Nothing is written here: the
   * request's workflow writes its row as its first step, so a row never exists without its workflow.
   */
  async prepareChatPrivacyRequest(input: {
    kind: 'deletion' | 'objection';
    businessId: string;
    channel: ConversationChannel;
    contactId: string;
    conversationId: string;
    replyKey: string;
  }): Promise<{ request: ChatPrivacyRequest; isKnown: boolean }> {
    const dedupeKey = `chat${input.kind === 'deletion' ? '' : `-${input.kind}`}:${input.conversationId}:${input.replyKey}`;
    const requestId = await stableRequestId(deps.models, deps.keyRing, dedupeKey);
    const subject = { contacts: [{ channel: input.channel, contactId: input.contactId }] };
    const isKnown = Boolean(await deps.models.PrivacyRequest.exists({ _id: requestId }));
    return {
      request: {
        requestId,
        kind: input.kind,
        source: 'chat',
        subject,
        subjectHash: subjectHashOf(deps.keyRing, subject),
        businessId: input.businessId,
        requestedBy: { type: 'subject' },
      },
      isKnown,
    };
  },
});
