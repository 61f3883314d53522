/**
 * The API or the worker as a real child process (`node --import tsx <entry>`), for tests and benchmarks that
 * need a process to kill, signal or measure. Output goes to a log file and is searchable while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/tools/paths.js';
import { killOnExit, stopChild, waitForExit, type ExitInfo } from '../../scripts/tools/proc.js';

export type NodeChild = {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<ExitInfo>;
  /** Everything printed so far (the last 200 KB). */
  output(): string;
  /** Resident set size in bytes (Linux /proc), NaN when unavailable. */
  rss(): number;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitInfo>;
};

export const rssOfPid = (pid: number): number => {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

const isRunning = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Starts `node --import tsx <script>` in the repository root with exactly `env` (plus PATH and HOME). */
export const spawnNodeChild = (
  name: string,
  script: string,
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): NodeChild => {
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let seen = '';
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      out.write(chunk);
      seen = (seen + chunk.toString('utf8')).slice(-200_000);
      for (const l of listeners) l();
    });
  }
  const exited = waitForExit(child);
  void exited.then(() => out.end());
  return {
    name,
    child,
    pid: child.pid ?? -1,
    logFile,
    exited,
    output: () => seen,
    rss: () => rssOfPid(child.pid ?? -1),
    waitForOutput: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const finish = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (pattern.test(seen)) finish();
          else if (!isRunning(child))
            finish(new Error(`${name} exited before printing ${pattern}; see ${logFile}:\n${seen.slice(-2_000)}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; see ${logFile}`)),
          timeoutMs,
        );
        listeners.add(check);
        void exited.then(check);
        check();
      }),
    stop: (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) => stopChild(child, graceMs, signal),
  };
};

/** Polls `url` until it answers 2xx; fails after `timeoutMs`, or at once when `child` has exited. */
export const waitForHttpOk = async (url: string, timeoutMs: number, child?: NodeChild): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && !isRunning(child.child)) throw new Error(`${child.name} exited; see ${child.logFile}:\n${child.output().slice(-2_000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms${child ? `; see ${child.logFile}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

/** The SDK's own "worker is running" line, printed whatever LOG_LEVEL the app runs with. */
export const WORKER_READY = /worker running|state: 'RUNNING'/;
