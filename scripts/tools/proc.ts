/** Small process / port helpers shared by the installer, the service launchers and the supervisor. */
import { randomInt } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';

export type Logger = (line: string) => void;
export const defaultLog: Logger = (line) => process.stdout.write(`${line}\n`);

export type RunResult = { code: number; signal: NodeJS.Signals | null; tail: string[] };

/**
 * Runs a command to completion. Output is either inherited (`inherit: true`) or read line by line
 * and handed to `onLine`; the last 40 lines are kept either way when piped, for error messages.
 * Never rejects for a non-zero exit (check `code`); rejects only if the program cannot be started.
 */
export const runCommand = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean; onLine?: (line: string) => void } = {},
): Promise<RunResult> =>
  new Promise((resolvePromise, reject) => {
    const tail: string[] = [];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
    };
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', onLine);
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), signal, tail }));
  });

/** Runs a command synchronously and returns its trimmed stdout, or undefined when it fails. */
export const captureOutput = (command: string, args: readonly string[], timeoutMs = 15_000): string | undefined => {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout ?? ''}`.trim();
};

/** Last `maxLines` lines of a file, starting at byte `fromOffset` (what one run appended). */
export const tailFile = (file: string, fromOffset = 0, maxLines = 20): string[] => {
  if (!existsSync(file)) return [];
  const size = statSync(file).size;
  const start = Math.max(fromOffset, size - 64 * 1024);
  if (size <= start) return [];
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-maxLines);
};

export const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** True when something accepts TCP connections on host:port. */
export const isPortOpen = (port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> =>
  new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** Listens on `port` (0: the kernel picks) and closes again: the port when that worked, else undefined. */
const probePort = (port: number): Promise<number | undefined> =>
  new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePromise(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : undefined));
    });
  });

/**
 * Picked below every OS's default ephemeral range (Linux 32768+, macOS and Windows 49152+): outgoing connections
 * never take these ports, so a port handed to a server that starts listening a moment later stays free. A port from
 * `listen(0)` comes from the ephemeral range, and a busy test run's outgoing connections once took one first.
 */
const PICK_FROM = 20_000;
const PICK_TO = 32_767;

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export const getFreePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await probePort(PICK_FROM + randomInt(PICK_TO - PICK_FROM + 1));
    if (port) return port;
  }
  const port = await probePort(0);
  if (!port) throw new Error('No free TCP port on 127.0.0.1: check what is listening (ss -ltn).');
  return port;
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** Resolves when the child has exited (immediately if it already has). */
export const waitForExit = (child: ChildProcess): Promise<ExitInfo> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Stops a child: `signal` (SIGTERM) first, SIGKILL when it is still alive after `graceMs`.
 * Returns how it ended; safe to call more than once.
 */
export const stopChild = async (child: ChildProcess, graceMs = 5_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> => {
  if (!isRunning(child)) return { code: child.exitCode, signal: child.signalCode };
  const exited = waitForExit(child);
  child.kill(signal);
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
};

/* Children registered here get SIGKILL when this process exits without stopping them
   (e.g. Vitest calling process.exit() on Ctrl-C), so no server is left running. */
const guarded = new Set<ChildProcess>();
let exitHookInstalled = false;
export const killOnExit = (child: ChildProcess): (() => void) => {
  guarded.add(child);
  child.once('exit', () => guarded.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of guarded) if (isRunning(c)) c.kill('SIGKILL');
    });
  }
  return () => guarded.delete(child);
};

/** spawn() that reports a missing executable as a rejected promise instead of an 'error' event later. */
export const spawnChecked = async (command: string, args: readonly string[], options: SpawnOptions): Promise<ChildProcess> => {
  const child = spawn(command, args, options);
  await new Promise<void>((resolvePromise, reject) => {
    child.once('spawn', () => resolvePromise());
    child.once('error', reject);
  });
  return child;
};

export type LaunchedService = {
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  stop: () => Promise<void>;
  /** An error quoting the service's log since this launch, ending with what the user can do about it. */
  failure: (what: string) => Error;
};

/** Starts a long-running service with its output appended to a log file, killed if this process exits. */
export const launchService = async (o: {
  name: string;
  bin: string;
  args: string[];
  logFile: string;
  whatToDo: string;
}): Promise<LaunchedService> => {
  const logOffset = fileSize(o.logFile);
  const fd = openSync(o.logFile, 'a');
  writeSync(fd, `\n--- ${new Date().toISOString()} ${o.bin} ${o.args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = await spawnChecked(o.bin, o.args, { stdio: ['ignore', fd, fd], detached: false });
  } finally {
    closeSync(fd);
  }
  const unguard = killOnExit(child);
  return {
    child,
    exited: waitForExit(child),
    stop: async () => {
      await stopChild(child, 5_000);
      unguard();
    },
    failure: (what) =>
      new Error(
        `${o.name} ${what}. Last lines of ${o.logFile}:\n` +
          tailFile(o.logFile, logOffset, 15)
            .map((l) => `  | ${l}`)
            .join('\n') +
          `\nWhat to do: ${o.whatToDo}`,
      ),
  };
};
