/**
 * Webhook ingest: how many signed Messenger events per second the API acknowledges (200 only after
 * signalWithStart), against the ceiling of a bare Temporal client making the same calls at the same server.
 * No worker runs: this measures the hand-off, not the replies.
 */
import autocannon from 'autocannon';
import { DEMO } from '../domain/demo-seed.js';
import { mid } from '../test/helpers/meta-events.js';
import { cpuMeter, cpuProfileArgs, findPid } from './lib/children.js';
import { mapConcurrent, postWebhook, signedMessengerBody } from './lib/meta.js';
import { runPaced } from './lib/paced.js';
import type { BenchResult } from './lib/report.js';
import { startStack, type BenchStack } from './lib/stack.js';
import { num, progress, summarize, table, type TargetCheck } from './lib/stats.js';

/**
 * Rotating senders, one workflow each. With no worker running every signal stays in its workflow's history; with
 * 1,000 senders a full run puts ~100 signals on each, and the ceiling measured in its second round was a third
 * lower than in the first. 5,000 keeps each history short (the warm-up starts them all before measuring).
 */
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS) || 5_000;
const CONCURRENCY = 32;

type Step = { label: string; offered: string; perSec: number; p50: number; p99: number; failed: number; cpu: Record<string, number> };

let seq = 0;
const nextSender = () => `psid-ingest-${seq++ % SENDERS}`;

const signalDirectly = (stack: BenchStack) =>
  stack.dispatcher.inbound({ businessId: DEMO.businessId, channel: 'messenger', contactId: nextSender() }, 'ch_demo_messenger', {
    eventId: mid('ceiling'),
    kind: 'message',
    text: `hello ${seq}`,
    at: Date.now(),
  });

/** The ceiling: CONCURRENCY loops calling the same dispatcher the API uses, straight at Temporal. */
const runCeiling = async (stack: BenchStack, seconds: number) => {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  const lane = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        await signalDirectly(stack);
        latencies.push(performance.now() - t0);
      } catch {
        failed++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const s = summarize(latencies);
  return { perSec: latencies.length / ((performance.now() - started) / 1000), p50: s.p50, p99: s.p99, failed };
};

/**
 * Signed events made before a step starts, so the load generator spends its CPU on sending rather than on JSON and
 * HMAC while it shares the machine's cores with the API and Temporal it measures.
 */
const presign = (count: number) => {
  const bodies = Array.from({ length: count }, () => signedMessengerBody([{ senderId: nextSender(), text: `hello ${seq}` }]));
  let next = 0;
  return () => {
    const body = bodies[next % bodies.length]!;
    next++;
    return body;
  };
};

/** autocannon, unthrottled, against POST /webhooks/meta: every request a fresh signed event (unique mid, rotating sender). */
const runAutocannon = async (url: string, seconds: number) => {
  const nextBody = presign(seconds * 2_000);
  // Without a callback autocannon returns its event emitter, which is also a promise of the result.
  const instance = autocannon({
    url: `${url}/webhooks/meta`,
    connections: CONCURRENCY,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const body = nextBody();
          return {
            ...req,
            body: body.raw,
            headers: { ...req.headers, 'content-type': 'application/json', 'x-hub-signature-256': body.signature },
          };
        },
      },
    ],
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  const r = await instance;
  return { perSec: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors + r.timeouts };
};

export const runIngest = async (opts: { isQuick: boolean }): Promise<BenchResult> => {
  const log = progress('ingest');
  const seconds = opts.isQuick ? 5 : 15;
  const rounds = Number(process.env.BENCH_INGEST_ROUNDS) || (opts.isQuick ? 1 : 2);
  log(`starting Temporal dev server, FerretDB and the API (no worker); ${seconds}s per step, ${CONCURRENCY} concurrent`);
  const stack = await startStack({ name: 'ingest', log });
  try {
    const api = await stack.startApi({}, cpuProfileArgs());
    const pids = { api: api.pid, temporal: findPid(['start-dev', String(stack.temporal.address.split(':')[1])]), bench: process.pid };
    // Every sender's workflow exists before measuring, so every step does the same work (signal an existing
    // workflow); starting a workflow costs the server several times more.
    log(`warming up: one event per sender (${SENDERS} workflows started), routes cached, connections open`);
    await mapConcurrent(
      Array.from({ length: SENDERS }, (_, i) => i),
      CONCURRENCY,
      () => postWebhook(stack.apiUrl, signedMessengerBody([{ senderId: nextSender(), text: 'hello' }])),
    );

    const steps: Step[] = [];
    const measure = async (label: string, offered: string, fn: () => Promise<Omit<Step, 'label' | 'offered' | 'cpu'>>) => {
      log(label);
      const meter = cpuMeter(pids);
      const r = await fn();
      steps.push({ label, offered, ...r, cpu: meter() });
      log(`  → ${r.perSec.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
      return r;
    };
    // Closed loop at full speed, alternating so that both see the same machine load.
    const ceilings: number[] = [];
    const ingests: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      ceilings.push(
        (
          await measure(`ceiling: bare Temporal client, ${CONCURRENCY} concurrent (round ${round})`, 'max', () =>
            runCeiling(stack, seconds),
          )
        ).perSec,
      );
      ingests.push(
        (
          await measure(`webhook via autocannon, ${CONCURRENCY} connections (round ${round})`, 'max', () =>
            runAutocannon(stack.apiUrl, seconds),
          )
        ).perSec,
      );
    }
    const ceiling = ceilings.reduce((a, b) => a + b, 0) / ceilings.length;
    const ingest = ingests.reduce((a, b) => a + b, 0) / ingests.length;

    // Open loop at rising rates: latency at a known arrival rate.
    const paced = async (label: string, fraction: number, fire: () => Promise<boolean>) => {
      const rate = Math.max(1, Math.round(fraction * ceiling));
      const r = await measure(label, `${rate}/s`, async () => {
        const p = await runPaced({ rate, seconds, fire, onTick: (done) => log(`  ${done} done`) });
        return { perSec: p.completedPerSec, p50: p.p50, p99: p.p99, failed: p.failed + p.dropped };
      });
      return r;
    };
    const byFraction = new Map<number, Awaited<ReturnType<typeof paced>>>();
    for (const f of [0.25, 0.5, 0.75]) {
      const nextBody = presign(Math.ceil(f * ceiling * seconds) + 100);
      byFraction.set(
        f,
        await paced(
          `webhook, paced at ${f * 100}% of the ceiling`,
          f,
          async () => (await postWebhook(stack.apiUrl, nextBody())).status === 200,
        ),
      );
    }
    const bareHalf = await paced('bare client, paced at 50% of the ceiling (reference)', 0.5, () => signalDirectly(stack).then(() => true));
    const half = byFraction.get(0.5)!;
    // Issue 17: p99 ≤ 50 ms at half the ceiling, unless the bare client itself misses that on this machine in the same
    // run; then the API may add at most 10 % to the bare client's p99.
    const p99Goal = bareHalf.p99 <= 50 ? 50 : 1.1 * bareHalf.p99;

    const cpu = (s: Step, k: string) => `${num((s.cpu[k] ?? Number.NaN) * 100)}%`;
    const rows = steps.map((s) => [
      s.label,
      s.offered,
      num(s.perSec),
      num(s.p50, 1),
      num(s.p99, 1),
      String(s.failed),
      cpu(s, 'api'),
      cpu(s, 'temporal'),
      cpu(s, 'bench'),
    ]);
    const targets: TargetCheck[] = [
      {
        name: 'ingest vs ceiling',
        target: '≥ 80%',
        measured: `${((ingest / ceiling) * 100).toFixed(0)}% (${ingest.toFixed(0)} vs ${ceiling.toFixed(0)}/s)`,
        isMet: ingest >= 0.8 * ceiling,
      },
      {
        name: 'p99 ack at half the ceiling rate',
        target: bareHalf.p99 <= 50 ? '≤ 50 ms' : `≤ 1.1 × bare p99 (${bareHalf.p99.toFixed(1)} ms > 50 ms) = ${p99Goal.toFixed(1)} ms`,
        measured: `${half.p99.toFixed(1)} ms`,
        isMet: half.p99 <= p99Goal,
      },
    ];
    return {
      id: 'ingest',
      title: 'Webhook ingest (signed Messenger events → 200 after signalWithStart)',
      tables: [table(['step', 'offered', 'done/s', 'p50 ms', 'p99 ms', 'failed', 'API CPU', 'Temporal CPU', 'bench CPU'], rows)],
      targets,
      notes: [
        `${SENDERS} rotating senders, a unique mid per event (signed before each step, so the generator spends its CPU on sending), no worker running; ${seconds}s per step. Before measuring, every sender sent one message, so each step signals existing workflows.`,
        `Full speed: ${CONCURRENCY} concurrent calls for both the bare client and autocannon, alternated ${rounds}× so both see the same machine load; the ceiling is their mean.`,
        "Rates: an open-loop generator (one POST every 1/rate s); autocannon's own rate option sends each second's quota in one burst, which measures its bursts rather than the API.",
        'The bare client runs in the benchmark process with the same dispatcher and data converter (payload encryption) as the API. CPU columns: share of one core used by the API child, the Temporal dev server and the benchmark process. BENCH_CPU_PROF_DIR=<dir> makes the API write a V8 CPU profile there.',
      ],
    };
  } finally {
    await stack.stop();
  }
};
