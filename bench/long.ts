/**
 * Long conversation: thousands of messages in one thread, in bursts. Continue-as-new must keep every run's
 * history far below Temporal's limits (warning at 10,240 events / 10 MB, termination at 51,200 / 50 MB).
 */
import { DEMO } from '../domain/demo-seed.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { conversationStateQuery } from '../workflows/conversation.js';
import { mapConcurrent, postWebhook, signedMessengerBody } from './lib/meta.js';
import type { BenchResult } from './lib/report.js';
import { startStack } from './lib/stack.js';
import { kb, num, progress, sleep, table, type TargetCheck } from './lib/stats.js';

const HARD_LIMIT = 51_200;
const WARN_LIMIT = 10_240;
const SENDER = 'psid-long-1';

export const runLong = async (opts: { isQuick: boolean }): Promise<BenchResult> => {
  const log = progress('long');
  const total = opts.isQuick ? 500 : 5_000;
  const burst = opts.isQuick ? 10 : 25;
  const burstWindowMs = 300;
  // Quick mode rolls over sooner so that it still crosses a few runs with 50 bursts.
  const continueAfter = opts.isQuick ? 20 : 150;
  log(
    `${total} messages in bursts of ${burst}; burst window ${burstWindowMs} ms; continue-as-new after ${continueAfter} batches (or when Temporal suggests it)`,
  );
  const stack = await startStack({
    name: 'long',
    log,
    env: {
      CONVERSATION_BURST_WINDOW_MS: String(burstWindowMs),
      CONVERSATION_CONTINUE_AS_NEW_AFTER: String(continueAfter),
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await stack.startApi();
    await stack.startWorker();
    const workflowId = conversationWorkflowId(stack.config.ENCRYPTION_KEY, {
      businessId: DEMO.businessId,
      channel: 'messenger',
      contactId: SENDER,
    });
    const handle = stack.client.workflow.getHandle(workflowId);
    const started = performance.now();
    let sent = 0;
    let failed = 0;
    for (let b = 0; sent < total; b++) {
      const size = Math.min(burst, total - sent);
      // One POST per message, all at once: Meta delivers each message separately, seconds apart at most.
      const posts = await mapConcurrent(
        Array.from({ length: size }, (_, i) => i),
        size,
        (i) => postWebhook(stack.apiUrl, signedMessengerBody([{ senderId: SENDER, text: `burst ${b} part ${i}` }])),
      );
      failed += posts.filter((p) => p.status !== 200).length;
      sent += size;
      const deadline = Date.now() + 120_000;
      for (;;) {
        const state = await handle.query(conversationStateQuery).catch(() => undefined);
        if (state && state.messageCount >= sent - failed && !state.isProcessing) break;
        if (Date.now() > deadline) throw new Error(`burst ${b} not processed within 120 s (state ${JSON.stringify(state)})`);
        await sleep(50);
      }
      if (b % 10 === 0) log(`  ${sent}/${total} messages processed, ${stack.graph.messagesTo(SENDER).length} replies`);
    }
    const seconds = (performance.now() - started) / 1000;

    const runs: { runId: string; status: string; events: number; bytes: number }[] = [];
    for await (const info of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const d = await stack.client.workflow.getHandle(workflowId, info.runId).describe();
      runs.push({ runId: info.runId, status: d.status.name, events: d.historyLength, bytes: d.historySize ?? Number.NaN });
    }
    runs.reverse(); // list() returns the newest first
    const maxEvents = Math.max(...runs.map((r) => r.events));
    const maxBytes = Math.max(...runs.map((r) => r.bytes));
    const replies = stack.graph.messagesTo(SENDER).length;
    const stored = await stack.db.models.Message.countDocuments({ direction: 'inbound' });
    const targets: TargetCheck[] = [
      {
        name: 'max history length of a run',
        target: `≤ ${WARN_LIMIT} (warning limit)`,
        measured: `${maxEvents} events (${((maxEvents / HARD_LIMIT) * 100).toFixed(1)}% of the ${HARD_LIMIT} hard limit)`,
        isMet: maxEvents <= WARN_LIMIT,
      },
      { name: 'max history size of a run', target: '≤ 10 MB (warning limit)', measured: kb(maxBytes), isMet: maxBytes <= 10 * 1024 * 1024 },
      { name: 'every message stored', target: String(total), measured: String(stored), isMet: stored === total },
    ];
    return {
      id: 'long',
      title: `Long conversation (${total} messages in one thread)`,
      tables: [
        table(
          ['messages', 'bursts', 'replies', 'failed POSTs', 'seconds', 'messages/s', 'runs'],
          [
            [
              String(total),
              String(Math.ceil(total / burst)),
              String(replies),
              String(failed),
              num(seconds),
              num(total / seconds, 1),
              String(runs.length),
            ],
          ],
        ),
        table(
          ['run', 'status', 'history events', 'history size', '% of 51,200'],
          runs.map((r, i) => [
            `${i + 1} (${r.runId.slice(0, 8)})`,
            r.status,
            String(r.events),
            kb(r.bytes),
            `${((r.events / HARD_LIMIT) * 100).toFixed(1)}%`,
          ]),
        ),
      ],
      targets,
      notes: [
        `Bursts of ${burst} messages (one webhook POST each, sent together) with CONVERSATION_BURST_WINDOW_MS=${burstWindowMs}: each burst becomes one batch and one reply; the next burst starts when the workflow is idle again.`,
        `CONVERSATION_CONTINUE_AS_NEW_AFTER=${continueAfter}${opts.isQuick ? ' (lowered for the quick run; production default 150)' : ' (production default)'}; the workflow also rolls over when Temporal suggests it (4,096 events or 4 MB).`,
        "Runs are listed with the visibility query `WorkflowId = …`; each run's length and size come from describe().",
      ],
    };
  } finally {
    await stack.stop();
  }
};
