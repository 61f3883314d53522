/** Hands customer events to their ConversationWorkflow with signal-with-start: durable once this resolves. */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema.js';
import { ChannelAttr, TenantIdAttr } from '../../temporal/search-attributes.js';
import { conversationWorkflowId } from '../../temporal/workflow-ids.js';
import {
  conversationWorkflow,
  inboundMessageSignal,
  pageEchoSignal,
  type ConversationInput,
  type ConversationKey,
  type ConversationSettings,
  type EchoEvent,
  type InboundEvent,
} from '../../workflows/conversation.js';

export const conversationSettingsFrom = (c: Config): ConversationSettings => ({
  burstWindowMs: c.CONVERSATION_BURST_WINDOW_MS,
  retentionDays: c.CONVERSATION_RETENTION_DAYS,
  continueAsNewAfterBatches: c.CONVERSATION_CONTINUE_AS_NEW_AFTER,
  maxRememberedIds: 500,
});

export type Dispatcher = ReturnType<typeof createDispatcher>;

export const createDispatcher = (deps: { client: Client; taskQueue: string; settings: ConversationSettings }) => {
  const startOptions = (key: ConversationKey, channelId: string) => {
    const workflowId = conversationWorkflowId(key);
    const input: ConversationInput = { key, channelId, workflowId, settings: deps.settings };
    return {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input] as [ConversationInput],
      typedSearchAttributes: [
        { key: TenantIdAttr, value: key.businessId },
        { key: ChannelAttr, value: key.channel },
      ],
    };
  };

  return {
    workflowIdFor: conversationWorkflowId,
    inbound: (key: ConversationKey, channelId: string, event: InboundEvent) =>
      deps.client.workflow.signalWithStart(conversationWorkflow, { ...startOptions(key, channelId), signal: inboundMessageSignal, signalArgs: [event] }),
    echo: (key: ConversationKey, channelId: string, echo: EchoEvent) =>
      deps.client.workflow.signalWithStart(conversationWorkflow, { ...startOptions(key, channelId), signal: pageEchoSignal, signalArgs: [echo] }),
  };
};
