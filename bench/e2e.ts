/**
 * End to end: N conversations at once, each sending its next message when the previous one was answered;
 * latency from the webhook POST to the reply's Send API call arriving at the fake Graph (matched by recipient),
 * and where the time goes inside Temporal (history timestamps of a sample of workflows).
 */
import { DEMO } from '../db/seed-demo.js';
import { conversationWorkflowId } from '../temporal/workflow-ids.js';
import { watchSends, type SendWatcher } from './lib/graph-watch.js';
import { replyPhases, type Phase } from './lib/history.js';
import { postWebhook, signedMessengerBody } from './lib/meta.js';
import type { BenchResult } from './lib/report.js';
import { startStack, type BenchStack } from './lib/stack.js';
import { num, progress, summarize, table, type TargetCheck } from './lib/stats.js';

const REPLY_TIMEOUT_MS = 60_000;
const HISTORY_SAMPLE = 12;

type Level = { n: number; messages: number; seconds: number; ack: number[]; e2e: number[]; lost: number; phases: Phase[][] };

const runLevel = async (stack: BenchStack, sends: SendWatcher, n: number, perConversation: number, log: (l: string) => void): Promise<Level> => {
  const senders = Array.from({ length: n }, (_, i) => `psid-e2e-${n}-${i}`);
  const level: Level = { n, messages: 0, seconds: 0, ack: [], e2e: [], lost: 0, phases: [] };
  const ticker = setInterval(() => log(`  ${n} conversations: ${level.e2e.length} replies so far`), 3_000);
  const started = performance.now();
  await Promise.all(
    senders.map(async (senderId) => {
      for (let i = 0; i < perConversation; i++) {
        const expected = sends.sentTo(senderId).length + 1;
        const post = await postWebhook(stack.apiUrl, signedMessengerBody([{ senderId, text: i === 0 ? 'Hi, how much is a check-up?' : `and another question ${i}` }]));
        level.messages++;
        if (post.status !== 200) {
          level.lost++;
          continue;
        }
        level.ack.push(post.ms);
        const reply = await sends.waitForNth(senderId, expected, REPLY_TIMEOUT_MS);
        if (reply) level.e2e.push(reply.at - post.startedAt);
        else level.lost++;
      }
    }),
  );
  level.seconds = (performance.now() - started) / 1000;
  clearInterval(ticker);
  for (const senderId of senders.slice(0, HISTORY_SAMPLE)) {
    const handle = stack.client.workflow.getHandle(conversationWorkflowId({ businessId: DEMO.businessId, channel: 'messenger', contactId: senderId }));
    const history = await handle.fetchHistory();
    level.phases.push(...replyPhases(history.events ?? []));
  }
  return level;
};

/** Phase name → its p50 / p99 over every sampled reply of the level. */
const phaseStats = (batches: Phase[][]) => {
  const byName = new Map<string, number[]>();
  for (const batch of batches) for (const p of batch) byName.set(p.name, [...(byName.get(p.name) ?? []), p.ms]);
  return new Map([...byName].map(([name, values]) => [name, summarize(values)]));
};

export const runE2e = async (opts: { isQuick: boolean }): Promise<BenchResult> => {
  const log = progress('e2e');
  const levels = opts.isQuick ? [10, 50] : [10, 50, 200];
  const perConversation = opts.isQuick ? 3 : 5;
  log(`starting services, API and worker; levels ${levels.join(', ')} conversations × ${perConversation} messages`);
  const stack = await startStack({ name: 'e2e', log });
  const sends = watchSends(stack.graph);
  try {
    await stack.startApi();
    await stack.startWorker();
    log('warming up (5 conversations)');
    await runLevel(stack, sends, 5, 2, () => undefined);

    const results: Level[] = [];
    for (const n of levels) {
      log(`${n} concurrent conversations`);
      results.push(await runLevel(stack, sends, n, perConversation, log));
    }
    const rows = results.map((l) => {
      const e = summarize(l.e2e);
      const a = summarize(l.ack);
      return [String(l.n), String(l.messages), num(l.e2e.length / l.seconds, 1), num(a.p50, 1), num(a.p99, 1), num(e.p50), num(e.p90), num(e.p99), num(e.max), String(l.lost)];
    });
    const stats = results.map((l) => phaseStats(l.phases));
    const names = [...new Set(stats.flatMap((s) => [...s.keys()]))];
    const breakdown = names.map((name) => [name, ...stats.flatMap((s) => [num(s.get(name)?.p50 ?? Number.NaN, 1), num(s.get(name)?.p99 ?? Number.NaN, 1)])]);
    const at50 = results.find((l) => l.n === 50);
    const e50 = summarize(at50?.e2e ?? []);
    const targets: TargetCheck[] = [
      { name: 'p50 POST → Send API at 50 conversations', target: '≤ 150 ms', measured: `${num(e50.p50)} ms`, isMet: e50.p50 <= 150 },
      { name: 'p99 POST → Send API at 50 conversations', target: '≤ 500 ms', measured: `${num(e50.p99)} ms`, isMet: e50.p99 <= 500 },
      { name: 'every message answered', target: '0 lost', measured: String(results.reduce((s, l) => s + l.lost, 0)), isMet: results.every((l) => l.lost === 0) },
    ];
    return {
      id: 'e2e',
      title: 'End to end (webhook POST → reply at the fake Graph Send API)',
      tables: [
        table(['conversations', 'messages', 'replies/s', 'ack p50', 'ack p99', 'e2e p50', 'e2e p90', 'e2e p99', 'e2e max', 'lost'], rows),
        `Where the time goes (ms; history timestamps of ${HISTORY_SAMPLE} sampled workflows per level; the webhook ack is above):\n\n` +
          table(['phase', ...results.flatMap((l) => [`p50 @${l.n}`, `p99 @${l.n}`])], breakdown),
      ],
      targets,
      notes: [
        'Fake OpenAI answers instantly (OPENAI_API_KEY set, so the real OpenAI client path runs); CONVERSATION_BURST_WINDOW_MS=0; API and worker are child processes; Temporal dev server (SQLite) and FerretDB (SQLite) on the same machine.',
        'Each conversation sends its next message only after the previous reply arrived, so N is also the number of messages in flight; "lost" = no reply within 60 s (slow, not necessarily lost: the benchmark moves on).',
        'generateReply: run = Mongo reads (conversation, business, transcript) + the OpenAI call; deliverReply: run = Mongo reads/writes + the Graph Send API call; queue wait = activity schedule-to-start.',
      ],
    };
  } finally {
    sends.stop();
    await stack.stop();
  }
};
