/**
 * A customer message that arrives while the thread is being purged for inactivity was already acknowledged to
 * Meta: it must be stored and answered by a fresh run, not dropped with the old one. The purge activity is held
 * open by the test so the message lands inside it every time (dev server, a retention of a few seconds).
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { createWorker } from '../../../worker/create-worker.js';
import {
  conversationStateQuery,
  conversationWorkflow,
  inboundMessageSignal,
  type ConversationInput,
} from '../../../workflows/conversation.js';
import { workflowBundle } from '../../helpers/bundle.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { mid } from '../../helpers/meta-events.js';
import { DAY_MS } from '../../../lib/durations.js';

const RETENTION_MS = 3_000;

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

let h: Harness;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const firstPurgeStarted = deferred();
const releaseFirstPurge = deferred();
const releaseLaterPurges = deferred();
let purgeCalls = 0;

beforeAll(async () => {
  h = await startHarness('conversation-purge-race', { startWorker: false });
  const real = createActivities(h.activityDeps);
  connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
  worker = await createWorker({
    connection,
    namespace: h.config.TEMPORAL_NAMESPACE,
    taskQueue: h.taskQueue,
    keyRing: h.config.ENCRYPTION_KEY,
    deps: h.activityDeps,
    workflowBundle: await workflowBundle(),
    overrides: {
      activities: {
        ...real,
        // The first purge waits for the test; later ones (the fresh run's own, 3 s on) wait until the assertions are done.
        purgeConversation: async (input: { conversationId: string }) => {
          purgeCalls += 1;
          if (purgeCalls === 1) {
            firstPurgeStarted.resolve();
            await releaseFirstPurge.promise;
          } else {
            await releaseLaterPurges.promise;
          }
          return real.purgeConversation(input);
        },
      },
    },
  });
  running = worker.run();
});
afterAll(async () => {
  releaseFirstPurge.resolve();
  releaseLaterPurges.resolve();
  worker?.shutdown();
  await running;
  await connection?.close();
  await h?.stop();
});

it('stores and answers a message that arrives during the inactivity purge, in a fresh run', async () => {
  const psid = 'psid-purge-race';
  const workflowId = `${h.taskQueue}:conversation:purge-race`;
  const input: ConversationInput = {
    key: { businessId: DEMO.businessId, channel: 'messenger', contactId: psid },
    channelId: 'ch_demo_messenger',
    workflowId,
    settings: { burstWindowMs: 0, retentionDays: RETENTION_MS / DAY_MS, continueAsNewAfterBatches: 150, maxRememberedIds: 500 },
  };
  const say = (text: string) =>
    h.client.workflow.signalWithStart(conversationWorkflow, {
      workflowId,
      taskQueue: h.taskQueue,
      args: [input],
      signal: inboundMessageSignal,
      signalArgs: [{ eventId: mid(), kind: 'message', text, at: Date.now() }],
    });

  const first = await say('Hello, are you open on Saturdays?');
  await eventually(() => h.graph.messagesTo(psid).length === 1, { what: 'first reply' });
  await firstPurgeStarted.promise;

  // Resolves once the signal is in the old run's history: this is when the webhook would answer Meta 200.
  await say('Also, how much is a check-up?');
  releaseFirstPurge.resolve();

  await eventually(() => h.graph.messagesTo(psid).length === 2, { what: 'reply to the message sent during the purge' });
  expect(
    await h.models.Message.countDocuments({ conversationId: workflowId, direction: 'inbound', text: 'Also, how much is a check-up?' }),
  ).toBe(1);
  // The purge itself still happened: the first message is gone, the thread restarted from nothing.
  expect(await h.models.Message.countDocuments({ conversationId: workflowId, text: 'Hello, are you open on Saturdays?' })).toBe(0);
  expect((await h.client.workflow.getHandle(workflowId, first.signaledRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
  const state = await h.client.workflow.getHandle(workflowId).query(conversationStateQuery);
  expect(state.messageCount).toBe(1);
});
