/**
 * Hands customer events to their ConversationWorkflow with signal-with-start: durable once this resolves.
 * An event from a person with a tombstone (erased, objected, restricted) is dropped here, before any workflow starts.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import type { KeyRing } from '../../lib/crypto.js';
import { findTombstone, tombstoneVerdict, type TombstoneVerdict } from '../../domain/privacy-tombstones.js';
import type { TemporalTarget } from '../../temporal/deadline.js';
import { ChannelAttr, TenantIdAttr } from '../../temporal/search-attributes.js';
import {
  controlUpdate,
  conversationWorkflow,
  inboundMessageSignal,
  pageEchoSignal,
  type ControlRequest,
  type ConversationInput,
  type ConversationKey,
  type ConversationSettings,
  type EchoEvent,
  type InboundEvent,
} from '../../workflows/conversation.js';
import { createThreadIds } from './thread-ids.js';

export const conversationSettingsFrom = (c: Config): ConversationSettings => ({
  burstWindowMs: c.CONVERSATION_BURST_WINDOW_MS,
  retentionDays: c.CONVERSATION_RETENTION_DAYS,
  historyRetentionHours: c.TEMPORAL_HISTORY_RETENTION_HOURS,
  continueAsNewAfterBatches: c.CONVERSATION_CONTINUE_AS_NEW_AFTER,
  maxRememberedIds: 500,
});

export type Dispatcher = ReturnType<typeof createDispatcher>;

export const DEFAULT_DISPATCH_TIMEOUT_MS = 5_000;
/** How long a dashboard request waits for the conversation to apply a control (a reply waits for its send). */
export const DEFAULT_CONTROL_TIMEOUT_MS = 20_000;

/** Called after each hand-off to Temporal (metrics): which signal, how long, whether it was stored. */
export type DispatchObserver = (signal: 'inbound' | 'echo', seconds: number, isOk: boolean) => void;

/** What became of an event: handed to its workflow, or dropped because of the person's tombstone. */
export type DispatchResult = { outcome: 'dispatched'; workflowId: string } | { outcome: TombstoneVerdict };

export const createDispatcher = (deps: {
  client: Client;
  taskQueue: string;
  /** Conversation rows (which id an existing thread has) and tombstones. */
  models: Models;
  /** ENCRYPTION_KEY: workflow ids and tombstones are keyed hashes under it. */
  keyRing: KeyRing;
  settings: ConversationSettings;
  timeoutMs?: number;
  /** Deadline of a control update; past it the caller gets WorkflowUpdateRPCTimeoutOrCancelledError. */
  controlTimeoutMs?: number;
  observe?: DispatchObserver;
  /** Keeps workflow ids apart when several deployments (or test runs) share one Temporal namespace. */
  workflowIdPrefix?: string;
}) => {
  const threadIds = createThreadIds({ models: deps.models, keyRing: deps.keyRing, prefix: deps.workflowIdPrefix });
  // The client retries an unreachable server for a long time by default; a webhook must fail fast with 503 instead.
  const timeoutMs = deps.timeoutMs ?? DEFAULT_DISPATCH_TIMEOUT_MS;
  const withDeadline = async <T>(signal: 'inbound' | 'echo', fn: () => Promise<T>) => {
    const started = performance.now();
    let isOk = false;
    try {
      const result = await deps.client.withDeadline(Date.now() + timeoutMs, fn);
      isOk = true;
      return result;
    } finally {
      deps.observe?.(signal, (performance.now() - started) / 1000, isOk);
    }
  };
  const startOptions = (workflowId: string, key: ConversationKey, channelId: string) => {
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

  const tombstoneFor = (key: ConversationKey) => findTombstone(deps.models, deps.keyRing, { kind: 'contact', ...key });
  // The tombstone is read before anything starts: a MongoDB outage fails the hand-off (503, Meta redelivers)
  // rather than skipping the check.
  const handOff = async (
    signal: 'inbound' | 'echo',
    key: ConversationKey,
    at: number,
    send: (workflowId: string) => Promise<unknown>,
  ): Promise<DispatchResult> => {
    const verdict = tombstoneVerdict(await tombstoneFor(key), key.channel, at);
    if (verdict) return { outcome: verdict };
    const workflowId = await threadIds.resolve(key);
    await withDeadline(signal, () => send(workflowId));
    return { outcome: 'dispatched', workflowId };
  };

  return {
    /** The id a new thread for this person gets (current key); `threadIdFor` finds an existing one. */
    workflowIdFor: threadIds.current,
    threadIdFor: threadIds.resolve,
    /** Whether this person is erased or restricted (the widget ends an erased session). */
    tombstoneFor,
    inbound: (key: ConversationKey, channelId: string, event: InboundEvent) =>
      handOff('inbound', key, event.at, (id) =>
        deps.client.workflow.signalWithStart(conversationWorkflow, {
          ...startOptions(id, key, channelId),
          signal: inboundMessageSignal,
          signalArgs: [event],
        }),
      ),
    echo: (key: ConversationKey, channelId: string, echo: EchoEvent) =>
      handOff('echo', key, echo.at, (id) =>
        deps.client.workflow.signalWithStart(conversationWorkflow, {
          ...startOptions(id, key, channelId),
          signal: pageEchoSignal,
          signalArgs: [echo],
        }),
      ),
    /** Dashboard controls (pause, resume, deliver…): an update, so the caller learns the state it led to. */
    control: (workflowId: string, request: ControlRequest) =>
      // Without a deadline the client polls for the outcome for as long as the send retries (up to an hour).
      deps.client.withDeadline(Date.now() + (deps.controlTimeoutMs ?? DEFAULT_CONTROL_TIMEOUT_MS), () =>
        deps.client.workflow.getHandle(workflowId).executeUpdate(controlUpdate, { args: [request] }),
      ),
    /** The same client and queue, for starting other workflows (privacy requests, closure, token health), under the same deadline. */
    temporal: { client: deps.client, taskQueue: deps.taskQueue, callTimeoutMs: timeoutMs } satisfies TemporalTarget,
  };
};
