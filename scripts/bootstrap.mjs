#!/usr/bin/env node
/**
 * Entry point of `npm start` and `npm test`. Plain Node ESM without dependencies: it runs before
 * node_modules exists, installs the npm packages, then hands over to the TypeScript scripts.
 *
 *   node scripts/bootstrap.mjs start            → scripts/start.ts (local services + api + worker)
 *   node scripts/bootstrap.mjs test [-- args]   → install tools, typecheck, lint, build the web app, vitest run [args]
 *
 * Fast local iteration: SKIP_TYPECHECK=1 and/or SKIP_LINT=1 skip those two test steps,
 * e.g. `SKIP_TYPECHECK=1 SKIP_LINT=1 npm test -- test/api`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isWindows = process.platform === 'win32';

const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line) => process.stderr.write(`${line}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const flag = (name) => ['1', 'true', 'yes'].includes(String(process.env[name] ?? '').toLowerCase());

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Waits for a spawned child, forwarding SIGINT/SIGTERM to it while it runs. Resolves with its exit code (128+n when
 * it died from a signal, 127 when it could not start: `onStartError` says why).
 */
const supervise = (child, onStartError) =>
  new Promise((resolve) => {
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM'];
    for (const s of signals) process.on(s, forward);
    const done = (code) => {
      for (const s of signals) process.off(s, forward);
      resolve(code);
    };
    child.once('error', (err) => {
      onStartError(err);
      done(127);
    });
    child.once('exit', (code, signal) => done(code ?? SIGNAL_CODES[signal] ?? 1));
  });

/** Runs a command with inherited stdio (signals forwarded); resolves with its exit code. */
const run = (command, args, options = {}) =>
  supervise(spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env, ...options }), (err) =>
    fail(`✗ could not start ${command}: ${err.message}`),
  );

/** `npm` as a command: the npm that runs us (npm_execpath) when available, else from PATH. */
const npmCommand = () => {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli) && existsSync(cli)) return [process.execPath, [cli]];
  return [isWindows ? 'npm.cmd' : 'npm', []];
};

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

const ensureNodeModules = async () => {
  const lock = join(root, 'package-lock.json');
  const nodeModules = join(root, 'node_modules');
  const installedLock = join(nodeModules, '.package-lock.json');
  const hasLock = existsSync(lock);
  const needed = !existsSync(nodeModules) || (hasLock && mtime(lock) > mtime(installedLock));
  if (!needed) return;
  const [npm, pre] = npmCommand();
  const sub = hasLock ? ['ci'] : ['install'];
  const started = Date.now();
  say(`Installing npm packages… (npm ${sub[0]}${existsSync(nodeModules) ? ', package-lock.json changed' : ''})`);
  const code = await run(npm, [...pre, ...sub, '--no-audit', '--no-fund'], { shell: isWindows });
  if (code !== 0) {
    fail(`✗ npm ${sub[0]} failed (exit ${code}). Fix the error above and run again.`);
    process.exit(code);
  }
  say(`✓ npm packages installed (${seconds(started)})`);
};

/** Absolute path of a package's JS bin entry, e.g. binOf('typescript', 'tsc'). */
const binOf = (pkg, name) => {
  const dir = join(root, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!rel) throw new Error(`${pkg} has no "${name}" bin`);
  return join(dir, rel);
};

const node = (args) => run(process.execPath, args);

const step = async (title, fn) => {
  say(`\n▶ ${title}`);
  const started = Date.now();
  const code = await fn();
  if (code !== 0) {
    fail(`\n✗ ${title} failed (exit ${code}, ${seconds(started)})`);
    process.exit(code);
  }
  say(`✓ ${title} (${seconds(started)})`);
};

/**
 * Runs a node script with its output captured and handed back when it ends (signals forwarded like `run`), so steps
 * running side by side print one readable block each.
 */
const nodeCaptured = async (args) => {
  const child = spawn(process.execPath, args, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (c) => output.push(c));
  child.stderr.on('data', (c) => output.push(c));
  const code = await supervise(child, (err) => output.push(Buffer.from(`could not start node: ${err.message}\n`)));
  return { code, output: Buffer.concat(output).toString() };
};

/**
 * Steps as lanes of [title, node args]: the steps of a lane one after another, the lanes at the same time. A lane
 * stops at its first failure; the others finish, every failure is reported, then the run stops.
 */
const lanes = async (lanesOfSteps) => {
  const failures = [];
  await Promise.all(
    lanesOfSteps.map(async (steps) => {
      for (const [title, args] of steps) {
        say(`▶ ${title}`);
        const started = Date.now();
        const { code, output } = await nodeCaptured(args);
        if (output.trim()) process.stdout.write(`── ${title} ──\n${output.endsWith('\n') ? output : `${output}\n`}`);
        if (code !== 0) {
          fail(`✗ ${title} failed (exit ${code}, ${seconds(started)})`);
          failures.push(code);
          return;
        }
        say(`✓ ${title} (${seconds(started)})`);
      }
    }),
  );
  if (failures.length > 0) {
    fail(`\n✗ ${failures.length} check(s) failed: fix what is printed above and run again.`);
    process.exit(failures[0]);
  }
};

/** The folders `npm run layers` checks, read from package.json so the two cannot drift apart. */
const layeredFolders = () => {
  const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.layers;
  return script.split(' ').filter((word) => /^[a-z]+$/.test(word) && existsSync(join(root, word)));
};

const skipped = (title, why) => say(`\n▷ ${title}: skipped (${why})`);

const test = async (extra) => {
  const total = Date.now();
  await step('Tools: Temporal CLI, test server, FerretDB, Chromium', () =>
    node(['--import', 'tsx', 'scripts/tools/install.ts', '--for-tests']),
  );

  // The static checks run as two lanes side by side (one per core of the 2-core CI box): eslint alone takes as long as
  // all the others together. Each check's output is printed as one block when it ends, so the lanes do not interleave.
  const typecheck = [];
  if (flag('SKIP_TYPECHECK')) skipped('Typecheck', 'SKIP_TYPECHECK=1');
  else if (!existsSync(join(root, 'tsconfig.json'))) skipped('Typecheck', 'no tsconfig.json');
  else
    typecheck.push(
      ['Typecheck: tsc --noEmit -p tsconfig.json', [binOf('typescript', 'tsc'), '--noEmit', '-p', 'tsconfig.json']],
      // The browser code has its own compiler settings (DOM, JSX): web/tsconfig.json.
      ['Typecheck: tsc --noEmit -p web/tsconfig.json', [binOf('typescript', 'tsc'), '--noEmit', '-p', 'web/tsconfig.json']],
    );
  const lint = [];
  const eslintConfigs = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts'];
  if (flag('SKIP_LINT')) skipped('Lint', 'SKIP_LINT=1');
  else if (!eslintConfigs.some((f) => existsSync(join(root, f)))) skipped('Lint', 'no eslint.config.*');
  else {
    lint.push(['Lint: eslint .', [binOf('eslint', 'eslint'), '.']]);
    typecheck.push(
      // No import loops and no upward import between top-level folders (the layers are listed in .dependency-cruiser.cjs).
      [
        'Layers: dependency-cruiser',
        [binOf('dependency-cruiser', 'depcruise'), '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...layeredFolders()],
      ],
      // One formatter for the whole tree; `npx prettier --write .` fixes what this finds.
      ['Format: prettier --check .', [binOf('prettier', 'prettier'), '--check', '--log-level', 'warn', '.']],
    );
  }
  await lanes([typecheck, lint]);

  // The owner web app (web/ → web/dist): rebuilt only when its sources changed; the browser tests load it from the API.
  await step('Web app: build web/ when changed', () => node(['--import', 'tsx', 'web/build.ts', '--if-stale']));

  const title = `Tests: vitest run${extra.length ? ` ${extra.join(' ')}` : ''}`;
  await step(title, () => node([binOf('vitest', 'vitest'), 'run', ...extra]));
  say(`\n✓ npm test passed (${seconds(total)})`);
};

const start = async (extra) => {
  const code = await node(['--import', 'tsx', 'scripts/start.ts', ...extra]);
  process.exit(code);
};

/** The benchmarks on a fresh clone too: packages, the Temporal CLI and FerretDB first (no Chromium needed). */
const bench = async (extra) => {
  await step('Tools: Temporal CLI, FerretDB', () => node(['--import', 'tsx', 'scripts/tools/install.ts']));
  const code = await node(['--import', 'tsx', 'bench/run.ts', ...extra]);
  process.exit(code);
};

const COMMANDS = { start, test, bench };

const main = async () => {
  const [command, ...rest] = process.argv.slice(2);
  const extra = rest[0] === '--' ? rest.slice(1) : rest;
  if (!Object.hasOwn(COMMANDS, command ?? '')) {
    fail('usage: node scripts/bootstrap.mjs start | test [-- vitest args] | bench [--quick] [--only ingest,e2e,scale,long]');
    process.exit(64);
  }
  await ensureNodeModules();
  await COMMANDS[command](extra);
};

main().catch((err) => {
  fail(`✗ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
