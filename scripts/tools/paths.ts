/**
 * Where the project's own tool binaries live and how to find them.
 *
 * Every `find*()` returns an absolute path to an executable file, or `undefined`. Order:
 * explicit env override → the project's `.tools` folder → `PATH` (Chromium: well-known paths).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned versions; the installer and the version checks use these. */
export const TOOL_VERSIONS = {
  temporalCli: '1.9.1',
  temporalTestServer: '1.40.0',
  ferretDb: 'v1.24.2',
  /** Stripe's mock of its API (go install), for the billing tests' request-shape checks. */
  stripeMock: 'v0.203.0',
} as const;

const isWindows = process.platform === 'win32';

/** Walks up from this file to the folder holding package.json (the repository root). */
const findRoot = (start: string): string => {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..', '..');
    dir = parent;
  }
};

export const ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** `<root>/.tools`, or `LUXLEADS_TOOLS_DIR` (read on every call, so tests can point elsewhere). */
export const toolsDir = (): string => {
  const override = process.env.LUXLEADS_TOOLS_DIR?.trim();
  return override ? resolve(ROOT, override) : join(ROOT, '.tools');
};

/** Value of {@link toolsDir} when this module was loaded. */
export const TOOLS_DIR: string = toolsDir();

export const venvDir = (): string => join(toolsDir(), 'venv');
/** Scripts folder of the project venv (`bin`, or `Scripts` on Windows). */
export const venvBinDir = (): string => join(venvDir(), isWindows ? 'Scripts' : 'bin');
/** Folder for binaries the installer builds itself (FerretDB). */
export const toolsBinDir = (): string => join(toolsDir(), 'bin');

const exe = (name: string) => (isWindows ? `${name}.exe` : name);

export const isExecutableFile = (file: string): boolean => {
  try {
    if (!statSync(file).isFile()) return false;
    if (!isWindows) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Like `which`: the first executable `name` on PATH, as an absolute path. */
export const which = (name: string, pathEnv: string | undefined = process.env.PATH): string | undefined => {
  if (!pathEnv) return undefined;
  const names = isWindows ? [name, `${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = resolve(dir, n);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
};

const warned = new Set<string>();
/** Env override: used when it points at an executable; otherwise warn once and keep looking. */
const fromEnv = (variable: string): string | undefined => {
  const value = process.env[variable]?.trim();
  if (!value) return undefined;
  const file = isAbsolute(value) ? value : resolve(process.cwd(), value);
  if (isExecutableFile(file)) return file;
  if (!warned.has(variable)) {
    warned.add(variable);
    process.stderr.write(`warning: ${variable}=${value} is not an executable file; ignoring it\n`);
  }
  return undefined;
};

const firstExecutable = (candidates: (string | undefined)[]): string | undefined =>
  candidates.find((c): c is string => c !== undefined && isExecutableFile(c));

/** The `temporal` CLI (runs `temporal server start-dev`). */
export const findTemporalCli = (): string | undefined =>
  fromEnv('TEMPORAL_CLI_PATH') ?? firstExecutable([join(venvBinDir(), exe('temporal'))]) ?? which('temporal');

/** The native time-skipping test server used by `TestWorkflowEnvironment.createTimeSkipping`. */
export const findTemporalTestServer = (): string | undefined =>
  fromEnv('TEMPORAL_TEST_SERVER_PATH') ??
  firstExecutable([join(venvBinDir(), exe('temporal-test-server'))]) ??
  which('temporal-test-server');

/** FerretDB (MongoDB wire protocol on SQLite), built by the installer into `.tools/bin`. */
export const findFerretDb = (): string | undefined =>
  fromEnv('FERRETDB_PATH') ?? firstExecutable([join(toolsBinDir(), exe('ferretdb'))]) ?? which('ferretdb');

/** stripe-mock (Stripe's API answered from its OpenAPI spec), built by the installer into `.tools/bin`. */
export const findStripeMock = (): string | undefined =>
  fromEnv('STRIPE_MOCK_PATH') ?? firstExecutable([join(toolsBinDir(), exe('stripe-mock'))]) ?? which('stripe-mock');

/** A Chromium for browser tests (playwright-core `executablePath`). */
export const findChromium = (): string | undefined =>
  fromEnv('CHROMIUM_PATH') ?? firstExecutable(['/usr/bin/chromium', '/usr/bin/chromium-browser']);
