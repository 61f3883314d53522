/**
 * The confirmation a person gets in the chat after asking there for their data to be deleted: the code of the request
 * the conversation actually started (its id), and where to follow it. Stored and delivered like any assistant reply.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { messageIdOf } from '../../domain/conversation.js';
import { findConversation, newAssistantMessage } from '../../domain/conversation-records.js';
import { Failure } from '../../domain/failures.js';
import { createDelivery, type DeliveryResult } from '../conversation/delivery.js';
import { nowOf, type ActivityDeps } from '../deps.js';

/** The status page of a request; its code is also its address (privacy_requests._id). */
export const requestStatusUrl = (publicUrl: string, requestId: string) => `${publicUrl.replace(/\/+$/, '')}/data-deletion/${requestId}`;

export const chatConfirmationText = (publicUrl: string, requestId: string) =>
  `Your request to delete your data is recorded. Your confirmation code is ${requestId}. You can follow it at ${requestStatusUrl(publicUrl, requestId)}`;

export const createChatConfirmationActivities = (deps: ActivityDeps) => {
  const delivery = createDelivery(deps);
  return {
    /** Keyed by the request: a retried step or a redelivered ask stores and sends it once. */
    async sendChatRequestConfirmation(input: { conversationId: string; requestId: string }): Promise<DeliveryResult> {
      const conv = await findConversation(deps.models, input.conversationId);
      if (!conv) throw ApplicationFailure.nonRetryable('conversation no longer exists', Failure.NotFound);
      const messageId = messageIdOf(conv._id, `privacy:${input.requestId}`);
      await deps.models.Message.updateOne(
        { _id: messageId },
        {
          $setOnInsert: newAssistantMessage(conv, {
            text: chatConfirmationText(deps.privacy.publicUrl, input.requestId),
            status: 'pending',
            at: nowOf(deps),
          }),
        },
        { upsert: true },
      );
      return delivery.deliverTo(conv, messageId);
    },
  };
};
