/**
 * Scale: open many conversations (one message each), let them go idle, then measure memory (worker and API RSS),
 * storage per conversation (Temporal's SQLite file, FerretDB's data folder) and that each still answers.
 */
import { randomInt } from 'node:crypto';
import type { NodeChild } from './lib/children.js';
import { watchSends, type SendWatcher } from './lib/graph-watch.js';
import { mapConcurrent, postWebhook, signedMessengerBody } from './lib/meta.js';
import type { BenchResult } from './lib/report.js';
import { startStack, type BenchStack } from './lib/stack.js';
import { kb, mb, num, progress, sleep, summarize, table, type TargetCheck } from './lib/stats.js';

const CONCURRENCY = 16;
const WORKER_RSS_TARGET = 400 * 1024 * 1024;

type Wave = { answered: number; seconds: number; latencies: number[]; failedPosts: number };

/** Sends one message from each sender and waits until each has `expectedReplies` replies (or time runs out). */
const wave = async (stack: BenchStack, sends: SendWatcher, senders: string[], expectedReplies: number, log: (l: string) => void, onTick: () => void): Promise<Wave> => {
  const started = performance.now();
  const latencies: number[] = [];
  let failedPosts = 0;
  let posted = 0;
  const ticker = setInterval(() => {
    onTick();
    log(`  posted ${posted}/${senders.length}, answered ${latencies.length}`);
  }, 5_000);
  const timeoutMs = 120_000 + senders.length * 100;
  await mapConcurrent(senders, CONCURRENCY, async (senderId) => {
    const post = await postWebhook(stack.apiUrl, signedMessengerBody([{ senderId, text: expectedReplies === 1 ? 'Hello, are you open on Saturday?' : 'Still there? Can I book?' }]));
    posted++;
    if (post.status !== 200) return void failedPosts++;
    // Not awaited here: the lanes keep posting while replies come back.
    void sends.waitForNth(senderId, expectedReplies, timeoutMs).then((m) => m && latencies.push(m.at - post.startedAt));
  });
  const deadline = Date.now() + timeoutMs;
  while (latencies.length + failedPosts < senders.length && Date.now() < deadline) await sleep(250);
  clearInterval(ticker);
  onTick();
  return { answered: latencies.length, seconds: (performance.now() - started) / 1000, latencies, failedPosts };
};

export const runScale = async (opts: { isQuick: boolean }): Promise<BenchResult> => {
  const log = progress('scale');
  const n = opts.isQuick ? 500 : 10_000;
  const followUps = opts.isQuick ? n : 2_000;
  // Quick mode uses a small cache so that eviction and replay are exercised at 500 conversations too.
  const cacheSize = opts.isQuick ? 100 : 2_000;
  log(`opening ${n} conversations (${CONCURRENCY} webhook POSTs in flight), WORKER_MAX_CACHED_WORKFLOWS=${cacheSize}`);
  const stack = await startStack({ name: 'scale', log, env: { WORKER_MAX_CACHED_WORKFLOWS: String(cacheSize), LOG_LEVEL: 'warn' } });
  const sends = watchSends(stack.graph);
  try {
    const api: NodeChild = await stack.startApi();
    const worker: NodeChild = await stack.startWorker();
    const rssSeries: { at: string; worker: number; api: number }[] = [];
    let peakWorker = 0;
    let peakApi = 0;
    const sample = () => {
      peakWorker = Math.max(peakWorker, worker.rss());
      peakApi = Math.max(peakApi, api.rss());
    };
    const point = (label: string) => rssSeries.push({ at: label, worker: worker.rss(), api: api.rss() });
    point('started, idle');
    const before = { temporal: stack.temporalBytes(), ferret: stack.ferretBytes() };

    const senders = Array.from({ length: n }, (_, i) => `psid-scale-${i}`);
    const first = await wave(stack, sends, senders, 1, log, sample);
    log(`${first.answered}/${n} answered in ${first.seconds.toFixed(0)}s; letting them go idle`);
    await sleep(opts.isQuick ? 5_000 : 20_000);
    point(`${n} conversations, idle`);
    const after = { temporal: stack.temporalBytes(), ferret: stack.ferretBytes() };
    const dbStats = (await stack.db.connection.db?.stats().catch(() => undefined)) as { dataSize?: number; indexSize?: number; storageSize?: number } | undefined;

    const sampleSenders = followUps >= n ? senders : pickRandom(senders, followUps);
    log(`second message to ${sampleSenders.length} of them${followUps < n ? ' (random sample)' : ''}`);
    const second = await wave(stack, sends, sampleSenders, 2, log, sample);
    point('after the follow-up messages');
    const idleWorker = rssSeries[1]!.worker;

    const s1 = summarize(first.latencies);
    const s2 = summarize(second.latencies);
    const targets: TargetCheck[] = [
      { name: `worker RSS with ${n} idle conversations`, target: '≤ 400 MB', measured: mb(idleWorker), isMet: idleWorker <= WORKER_RSS_TARGET },
      { name: 'worker RSS peak (whole run)', target: '≤ 400 MB', measured: mb(peakWorker), isMet: peakWorker <= WORKER_RSS_TARGET },
      { name: 'every opened conversation answered', target: `${n}`, measured: String(first.answered), isMet: first.answered === n },
      { name: 'idle conversations answer a new message', target: `${sampleSenders.length}`, measured: String(second.answered), isMet: second.answered === sampleSenders.length },
    ];
    return {
      id: 'scale',
      title: `Scale (${n} conversations, one message each, then idle)`,
      tables: [
        table(['wave', 'conversations', 'answered', 'seconds', 'replies/s', 'p50 ms', 'p99 ms', 'failed POSTs'], [
          ['open (1st message)', String(n), String(first.answered), num(first.seconds), num(first.answered / first.seconds, 1), num(s1.p50), num(s1.p99), String(first.failedPosts)],
          [`follow-up (2nd message)${followUps < n ? ', random sample' : ''}`, String(sampleSenders.length), String(second.answered), num(second.seconds), num(second.answered / second.seconds, 1), num(s2.p50), num(s2.p99), String(second.failedPosts)],
        ]),
        table(['moment', 'worker RSS', 'API RSS'], [...rssSeries.map((r) => [r.at, mb(r.worker), mb(r.api)]), ['peak during the run', mb(peakWorker), mb(peakApi)]]),
        table(['storage', 'before', 'after opening', 'per conversation'], [
          ['Temporal dev server SQLite (temporal.db + wal)', mb(before.temporal), mb(after.temporal), kb((after.temporal - before.temporal) / n)],
          ['FerretDB data folder (SQLite)', mb(before.ferret), mb(after.ferret), kb((after.ferret - before.ferret) / n)],
          ['MongoDB dbStats dataSize + indexSize', '', dbStats ? mb((dbStats.dataSize ?? 0) + (dbStats.indexSize ?? 0)) : 'n/a', dbStats ? kb(((dbStats.dataSize ?? 0) + (dbStats.indexSize ?? 0)) / n) : 'n/a'],
        ]),
      ],
      targets,
      notes: [
        `WORKER_MAX_CACHED_WORKFLOWS=${cacheSize}: the worker keeps at most that many workflows in memory; the others are replayed from history when their next message comes (the follow-up wave measures that).`,
        `Follow-up: ${followUps < n ? `a random sample of ${sampleSenders.length} of the ${n} conversations (time)` : `every one of the ${n} conversations`} got a second message.`,
        'Storage per conversation = (size after − size before) ÷ conversations; one conversation here = 1 inbound message, 1 reply, 1 lead, lead events, and a running workflow with its history.',
        'Worker and API run as child processes (LOG_LEVEL=warn); RSS is read from /proc.',
      ],
    };
  } finally {
    sends.stop();
    await stack.stop();
  }
};

const pickRandom = <T>(items: readonly T[], count: number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
};
