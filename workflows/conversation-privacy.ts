/** The ConversationWorkflow's privacy step: a customer who asks in the chat to be deleted gets a deletion request. */
import { ActivityFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ConversationInput } from '../domain/conversation.js';

const intake = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Starting a workflow needs MongoDB and Temporal; outages are waited out for a while, the reply waits too.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

/**
 * Starts the DataDeletionWorkflow for this thread's person through an activity, not a child workflow:
 * the request must outlive this conversation (whose history it erases) and share the one starter every
 * other intake uses. `replyKey` (the message that asked) keeps a retried or redelivered ask to one request.
 */
export const openChatDeletionRequest = async (input: ConversationInput, replyKey: string) => {
  // Histories recorded before this step existed replay without it.
  if (!patched('chat-deletion-request')) return;
  try {
    await intake.openDeletionRequest({
      source: 'chat',
      businessId: input.key.businessId,
      channel: input.key.channel,
      contactId: input.key.contactId,
      conversationId: input.workflowId,
      replyKey,
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // The deletion_requested lead event is already recorded, so the business still learns of the request.
    log.error('could not open the deletion request from chat', { cause: err.cause?.message });
  }
};

/** "Stop" in the chat is an objection to processing: the rights workflow restricts this thread and tells the business. */
export const openChatObjection = async (input: ConversationInput, replyKey: string) => {
  if (!patched('chat-stop-objection')) return;
  try {
    await intake.openDeletionRequest({
      source: 'chat',
      kind: 'objection',
      businessId: input.key.businessId,
      channel: input.key.channel,
      contactId: input.key.contactId,
      conversationId: input.workflowId,
      replyKey,
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.error('could not open the objection from chat', { cause: err.cause?.message });
  }
};
