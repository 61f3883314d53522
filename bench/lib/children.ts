/** Child-process helpers for the benchmarks: the spawning lives in test/helpers/node-child.ts; CPU accounting here. */
import { readdirSync, readFileSync } from 'node:fs';

export { rssOfPid, spawnNodeChild, waitForHttpOk, WORKER_READY, type NodeChild } from '../../test/helpers/node-child.js';

/** BENCH_CPU_PROF_DIR: the node flags that make a child write a V8 CPU profile there when it stops (none when unset). */
export const cpuProfileArgs = (): string[] => {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
};

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when unavailable. */
export const cpuSecondsOfPid = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, utime 14, stime 15 (1-based over the whole line).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};

/** The pid of a process whose command line contains every one of `parts` (e.g. the Temporal dev server on a port). */
export const findPid = (parts: readonly string[]): number | undefined => {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parts.every((p) => cmd.includes(p))) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
};

/** CPU use of several processes between start() and stop(), as a share of one core. */
export const cpuMeter = (pids: Record<string, number | undefined>) => {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuSecondsOfPid(pid) : Number.NaN]));
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    return Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [k, pid ? (cpuSecondsOfPid(pid) - before[k]!) / seconds : Number.NaN]),
    ) as Record<string, number>;
  };
};
