/** Sends a control (pause, resume, deliver…) to a conversation's workflow after checking it is this business's. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Models } from '../../db/models/index.js';
import type { ControlRequest } from '../../domain/conversation.js';
import { findConversation } from '../../domain/conversation-records.js';
import { badRequest, notFound, unavailable } from '../errors.js';
import type { Dispatcher } from './dispatch.js';

export type ControlDeps = { models: Models; dispatcher: Pick<Dispatcher, 'control'> };

export const loadConversation = async (models: Models, businessId: string, conversationId: string) => {
  const conv = await findConversation(models, conversationId, { businessId });
  if (!conv) throw notFound('conversation');
  return conv;
};

export const isEndedConversation = (err: unknown) => err instanceof WorkflowNotFoundError;

export const controlProblem = (err: unknown): unknown => {
  if (err instanceof WorkflowNotFoundError) return notFound('active conversation (it has ended or was purged)');
  if (err instanceof WorkflowUpdateFailedError) return badRequest(`The conversation refused this: ${err.cause?.message ?? err.message}`);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return unavailable('The conversation did not answer in time; check its state and retry.');
  return err;
};

export const controlConversation = async (
  deps: ControlDeps,
  q: { businessId: string; conversationId: string },
  request: ControlRequest,
) => {
  const conv = await loadConversation(deps.models, q.businessId, q.conversationId);
  try {
    return await deps.dispatcher.control(conv.workflowId, request);
  } catch (err) {
    throw controlProblem(err);
  }
};
