/** bench/RESULTS.md: one section per benchmark, replaced when that benchmark runs again; the machine is noted in each. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { targetsTable, type TargetCheck } from './stats.js';

export type BenchId = 'ingest' | 'e2e' | 'scale' | 'long';
export const BENCH_IDS: readonly BenchId[] = ['ingest', 'e2e', 'scale', 'long'];

export type BenchResult = {
  id: BenchId;
  title: string;
  /** Markdown tables (already formatted), printed as the summary and stored in RESULTS.md. */
  tables: string[];
  targets: TargetCheck[];
  notes: string[];
};

export type RunInfo = { isQuick: boolean; startedAt: Date; seconds: number; loadBefore: number[]; loadAfter: number[] };

export const machineLine = () => {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
};

const fmtLoad = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');

export const renderSection = (r: BenchResult, run: RunInfo): string =>
  [
    `<!-- bench:${r.id}:start -->`,
    `## ${r.title}`,
    '',
    `- run: ${run.startedAt.toISOString()} · ${run.isQuick ? '**quick** (`--quick`, reduced sizes)' : 'full size'} · ${run.seconds.toFixed(0)} s`,
    `- machine: ${machineLine()}`,
    `- load average (1/5/15 min) before: ${fmtLoad(run.loadBefore)}, after: ${fmtLoad(run.loadAfter)} (${cpus().length} cores; other work on the machine skews every figure)`,
    '',
    ...r.tables.flatMap((t) => [t, '']),
    '### Targets',
    '',
    r.targets.length ? targetsTable(r.targets) : '_no targets for this benchmark_',
    '',
    ...(r.notes.length ? ['### Notes', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    `<!-- bench:${r.id}:end -->`,
  ].join('\n');

const HEADER = [
  '# LuxLeads benchmark results',
  '',
  'Written by `npm run bench` (bench/run.ts). Each section is replaced when its benchmark runs again',
  "(`npm run bench -- --only e2e`), so sections can come from different runs: check each one's date, mode and load.",
  '',
].join('\n');

/** Replaces (or appends) the sections of the benchmarks that ran, keeping the others as they were. */
export const updateResultsFile = (file: string, sections: { id: BenchId; text: string }[]) => {
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  for (const s of sections) {
    const pattern = new RegExp(`<!-- bench:${s.id}:start -->[\\s\\S]*?<!-- bench:${s.id}:end -->`);
    doc = pattern.test(doc) ? doc.replace(pattern, () => s.text) : `${doc.trimEnd()}\n\n${s.text}\n`;
  }
  // Keep the sections in the canonical order whatever order they were written in.
  const blocks = BENCH_IDS.map((id) => new RegExp(`<!-- bench:${id}:start -->[\\s\\S]*?<!-- bench:${id}:end -->`).exec(doc)?.[0]).filter(
    (b): b is string => Boolean(b),
  );
  const head = doc.split('<!-- bench:')[0]!.trimEnd();
  writeFileSync(file, `${head}\n\n${blocks.join('\n\n')}\n`);
};

export const currentLoad = () => loadavg();
