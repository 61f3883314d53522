/**
 * Replies from the dashboard. The message is stored first (pending), then the conversation's workflow is
 * asked to deliver it, so sending is serialised with the bot and retried like any reply. A person's reply
 * also pauses the bot; approving a draft does not, since the words are still the assistant's.
 */
import { randomUUID } from 'node:crypto';
import { writeAudit, type AuditInput } from '../../lib/audit.js';
import { notFound } from '../errors.js';
import { controlProblem, isEndedConversation, loadConversation, type ControlDeps } from './control.js';
import { messageView, stateView } from './views.js';

export type Actor = Pick<AuditInput, 'actorType' | 'actorId' | 'actorRole'>;
type Where = { businessId: string; conversationId: string };

const deliver = async (deps: ControlDeps, workflowId: string, messageId: string, isHandover: boolean) => {
  const state = await deps.dispatcher.control(workflowId, { action: 'deliver', messageId, isHandover });
  const message = await deps.models.Message.findById(messageId).lean();
  if (!message) throw notFound('message');
  return { message: messageView(message), state: stateView(state) };
};

export const sendHumanReply = async (deps: ControlDeps, q: Where & { text: string; actor: Actor }) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  const messageId = `${conv._id}|human:${randomUUID()}`;
  await deps.models.Message.create({
    _id: messageId, conversationId: conv._id, businessId: conv.businessId, channel: conv.channel,
    direction: 'outbound', author: 'human', text: q.text, status: 'pending', at: new Date(),
  });
  try {
    const result = await deliver(deps, conv.workflowId, messageId, true);
    await writeAudit(deps.models, { ...q.actor, businessId: q.businessId, action: 'conversation.human_reply', target: conv._id, details: { status: result.message.status } });
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
  await writeAudit(deps.models, { ...q.actor, businessId: q.businessId, action: 'conversation.draft_approved', target: conv._id, details: { edited: q.text !== undefined } });
  try {
    return await deliver(deps, conv.workflowId, draft._id, false);
  } catch (err) {
    throw controlProblem(err);
  }
};

export const discardDraft = async (deps: ControlDeps, q: Where & { messageId: string; actor: Actor }) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  const removed = await deps.models.Message.deleteOne({ _id: q.messageId, conversationId: conv._id, businessId: q.businessId, status: 'draft' });
  if (removed.deletedCount !== 1) throw notFound('draft');
  await writeAudit(deps.models, { ...q.actor, businessId: q.businessId, action: 'conversation.draft_discarded', target: conv._id });
};
