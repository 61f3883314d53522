/** Percentiles, durations and the one table format used on the console and in RESULTS.md. */

export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
};

export type Summary = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };

export const summarize = (values: readonly number[]): Summary => {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
};

export const ms = (v: number, digits = 0) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : '–');
export const mb = (bytes: number, digits = 1) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(digits)} MB` : '–');
export const kb = (bytes: number, digits = 1) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(digits)} KB` : '–');
export const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** A Markdown table: readable as plain text on the console and rendered in RESULTS.md. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
};

/** A measured figure against its target: the unit of PASS/MISS in the report. */
export type TargetCheck = { name: string; target: string; measured: string; isMet: boolean };

export const targetsTable = (checks: readonly TargetCheck[]) =>
  table(
    ['target', 'goal', 'measured', 'result'],
    checks.map((c) => [c.name, c.target, c.measured, c.isMet ? 'PASS' : 'MISS']),
  );

export const sleep = (msToWait: number) => new Promise<void>((r) => setTimeout(r, msToWait));

/** Prints a progress line with elapsed seconds, prefixed by the benchmark's name. */
export const progress = (name: string) => {
  const started = Date.now();
  return (line: string) => process.stdout.write(`[${name} +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
};
