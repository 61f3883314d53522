/**
 * `npm run bench [-- --quick] [-- --only ingest,e2e,scale,long]`: runs the benchmarks one after another, each on
 * a private stack it starts and stops itself, prints each one's summary table and updates bench/RESULTS.md.
 */
import { fileURLToPath } from 'node:url';
import { runE2e } from './e2e.js';
import { runIngest } from './ingest.js';
import { runLong } from './long.js';
import { BENCH_IDS, currentLoad, machineLine, renderSection, updateResultsFile, type BenchId, type BenchResult } from './lib/report.js';
import { table, targetsTable } from './lib/stats.js';
import { runScale } from './scale.js';

const RUNNERS: Record<BenchId, (o: { isQuick: boolean }) => Promise<BenchResult>> = {
  ingest: runIngest,
  e2e: runE2e,
  scale: runScale,
  long: runLong,
};
// BENCH_RESULTS_FILE: write elsewhere, for experiments that must not replace the recorded results.
const RESULTS_FILE = process.env.BENCH_RESULTS_FILE ?? fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const parseArgs = (argv: string[]) => {
  const isQuick = argv.includes('--quick');
  const onlyIndex = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  const raw = onlyIndex < 0 ? undefined : argv[onlyIndex]!.includes('=') ? argv[onlyIndex]!.split('=')[1] : argv[onlyIndex + 1];
  const only = raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...BENCH_IDS];
  const unknown = only.filter((id) => !BENCH_IDS.includes(id as BenchId));
  if (unknown.length) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Use --only ${BENCH_IDS.join('|')} (comma-separated for several).\n`);
    process.exit(2);
  }
  return { isQuick, only: only as BenchId[] };
};

// Ctrl-C / SIGTERM: exit through process.exit so the 'exit' hook kills every server and child we started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const main = async () => {
  const { isQuick, only } = parseArgs(process.argv.slice(2));
  process.stdout.write(`LuxLeads benchmarks (${isQuick ? 'quick' : 'full size'}): ${only.join(', ')}\nMachine: ${machineLine()}\n\n`);
  let hasFailure = false;
  const summary: string[][] = [];
  for (const id of only) {
    const startedAt = new Date();
    const loadBefore = currentLoad();
    let result: BenchResult;
    try {
      result = await RUNNERS[id]({ isQuick });
    } catch (err) {
      hasFailure = true;
      process.stderr.write(`\n✗ benchmark ${id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n\n`);
      continue;
    }
    const run = { isQuick, startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000, loadBefore, loadAfter: currentLoad() };
    process.stdout.write(
      `\n=== ${result.title} ===\n\n${result.tables.join('\n\n')}\n\n${result.targets.length ? targetsTable(result.targets) : ''}\n${result.notes.map((n) => `- ${n}`).join('\n')}\n\n`,
    );
    updateResultsFile(RESULTS_FILE, [{ id, text: renderSection(result, run) }]);
    process.stdout.write(`(${RESULTS_FILE} updated: ${id})\n\n`);
    summary.push(...result.targets.map((t) => [id, t.name, t.target, t.measured, t.isMet ? 'PASS' : 'MISS']));
  }
  if (summary.length)
    process.stdout.write(
      `=== Summary (${isQuick ? 'quick' : 'full size'}) ===\n\n${table(['benchmark', 'target', 'goal', 'measured', 'result'], summary)}\n\n`,
    );
  process.exit(hasFailure ? 1 : 0);
};

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
