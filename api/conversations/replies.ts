/**
 * Replies from the dashboard. The message is stored first (pending), then the conversation's workflow is
 * asked to deliver it, so sending is serialised with the bot and retried like any reply. A person's reply
 * also pauses the bot; approving a draft does not, since the words are still the assistant's.
 *
 * Once the workflow may have the message, no answer says "failed, try again": a second request would be a
 * second message. When the send is not confirmed (Meta's outcome unknown, or the workflow did not answer in
 * time) the caller gets 202 with the message's current status and is told to check the thread; nothing here
 * resends it.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { writeAudit, type AuditInput } from '../../domain/audit.js';
import { humanReplyMessageIdOf } from '../../domain/conversation.js';
import { notFound } from '../errors.js';
import { controlProblem, isEndedConversation, loadConversation, type ControlDeps } from './control.js';
import { messageView, stateView } from './views.js';

export type Actor = Pick<AuditInput, 'actorType' | 'actorId' | 'actorRole'>;
type Where = { businessId: string; conversationId: string };
type MessageView = ReturnType<typeof messageView>;
type StateView = ReturnType<typeof stateView>;

/** `confirmed`: the outcome is known (sent, skipped, failed). `unconfirmed`: it may or may not have gone out. */
export type DeliveryAnswer =
  | { delivery: 'confirmed'; body: { message: MessageView; state: StateView } }
  | { delivery: 'unconfirmed'; body: { message: MessageView; state: StateView | null; delivery: 'unconfirmed'; detail: string } };

const UNKNOWN_DETAIL =
  'Meta did not confirm this message, so it may already be in the thread. LuxLeads will not send it again: check the conversation in Meta Business Suite before writing it again.';
const PENDING_DETAIL =
  'The conversation has the message but did not confirm sending it in time. Do not send it again: reload the conversation to see its status (pending, sent or delivery_unknown).';

/** Errors that prove the workflow never took the message; any other may have come after it did. */
const isRefused = (err: unknown) => err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError;

const answerFor = (message: MessageView, state: StateView | null): DeliveryAnswer => {
  if (state && message.status !== 'pending' && message.status !== 'delivery_unknown')
    return { delivery: 'confirmed', body: { message, state } };
  return {
    delivery: 'unconfirmed',
    body: { message, state, delivery: 'unconfirmed', detail: message.status === 'delivery_unknown' ? UNKNOWN_DETAIL : PENDING_DETAIL },
  };
};

const deliver = async (deps: ControlDeps, workflowId: string, messageId: string, isHandover: boolean): Promise<DeliveryAnswer> => {
  let state: StateView | null = null;
  try {
    state = stateView(await deps.dispatcher.control(workflowId, { action: 'deliver', messageId, isHandover }));
  } catch (err) {
    if (isRefused(err)) throw err;
    // Timed out or cut off after the update was sent: the workflow may still deliver it (once). Say so.
  }
  const message = await deps.models.Message.findById(messageId).lean();
  if (!message) throw notFound('message');
  return answerFor(messageView(message), state);
};

export const sendHumanReply = async (deps: ControlDeps, q: Where & { text: string; actor: Actor }) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  const messageId = humanReplyMessageIdOf(conv._id, randomUUID());
  await deps.models.Message.create({
    _id: messageId,
    conversationId: conv._id,
    businessId: conv.businessId,
    channel: conv.channel,
    direction: 'outbound',
    author: 'human',
    text: q.text,
    status: 'pending',
    at: new Date(),
  });
  try {
    const result = await deliver(deps, conv.workflowId, messageId, true);
    await writeAudit(deps.models, {
      ...q.actor,
      businessId: q.businessId,
      action: 'conversation.human_reply',
      target: conv._id,
      details: { status: result.body.message.status },
    });
    return result;
  } catch (err) {
    // Only a thread that no longer exists makes the stored reply pointless; anything else may still go out.
    if (isEndedConversation(err)) await deps.models.Message.deleteOne({ _id: messageId, status: 'pending' });
    throw controlProblem(err);
  }
};

export const approveDraft = async (deps: ControlDeps, q: Where & { messageId: string; text?: string; actor: Actor }) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  // The status filter makes approval single-use: a second click finds no draft.
  const draft = await deps.models.Message.findOneAndUpdate(
    { _id: q.messageId, conversationId: conv._id, businessId: q.businessId, status: 'draft' },
    { $set: { status: 'pending', ...(q.text !== undefined ? { text: q.text } : {}) } },
    { returnDocument: 'after' },
  ).lean();
  if (!draft) throw notFound('draft');
  await writeAudit(deps.models, {
    ...q.actor,
    businessId: q.businessId,
    action: 'conversation.draft_approved',
    target: conv._id,
    details: { edited: q.text !== undefined },
  });
  try {
    return await deliver(deps, conv.workflowId, draft._id, false);
  } catch (err) {
    throw controlProblem(err);
  }
};

export const discardDraft = async (deps: ControlDeps, q: Where & { messageId: string; actor: Actor }) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  const removed = await deps.models.Message.deleteOne({
    _id: q.messageId,
    conversationId: conv._id,
    businessId: q.businessId,
    status: 'draft',
  });
  if (removed.deletedCount !== 1) throw notFound('draft');
  await writeAudit(deps.models, { ...q.actor, businessId: q.businessId, action: 'conversation.draft_discarded', target: conv._id });
};
