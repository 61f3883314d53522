/**
 * Builds the owner web app (web/src, Preact) into web/dist with Vite: hashed, long-cacheable files under
 * dist/assets and an index.html that names them. `npm start` and `npm test` call ensureWebBuild(), which
 * rebuilds only when an input changed (a hash of the inputs is kept in dist/.inputs-hash); the API serves
 * web/dist at /app (api/routes/web-app.ts). `tsx web/build.ts` builds and prints the sizes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isMainModule } from '../lib/main-module.js';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(here, 'dist');
const HASH_FILE = '.inputs-hash';

/** First load (index.html + the entry script and stylesheet), gzipped: the budget of issue 14. */
export const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

/** Everything the output depends on: sources, the page, this script and the installed package versions. */
const inputsHash = () => {
  const root = dirname(here);
  const files = [...filesUnder(join(here, 'src')), join(here, 'index.html'), join(here, 'build.ts'), join(root, 'package-lock.json')]
    .filter((f) => existsSync(f))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${relative(here, f)}\0`).update(readFileSync(f));
  return hash.digest('hex');
};

export const isWebBuildFresh = () => {
  try {
    return readFileSync(join(WEB_DIST, HASH_FILE), 'utf8') === inputsHash() && existsSync(join(WEB_DIST, 'index.html'));
  } catch {
    return false;
  }
};

export type WebBuild = { files: { file: string; bytes: number; gzipBytes: number }[]; firstLoadGzipBytes: number };

/** Sizes of what a first visit downloads: index.html and the files it links (scripts, modulepreloads, styles). */
export const measureWebBuild = (dist = WEB_DIST): WebBuild => {
  const sizeOf = (file: string) => {
    const bytes = readFileSync(join(dist, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const linked = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const files = ['index.html', ...new Set(linked)].map(sizeOf);
  return { files, firstLoadGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
};

/** Builds into a fresh folder and swaps it in, so a process serving web/dist never sees half a build. */
export const buildWeb = async (opts: { quiet?: boolean } = {}): Promise<WebBuild> => {
  const { build } = await import('vite');
  const hash = inputsHash();
  const staging = join(here, `.dist-${process.pid}-${Date.now()}`);
  await build({
    root: here,
    base: '/app/',
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: opts.quiet ? 'error' : 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: staging,
      emptyOutDir: true,
      assetsDir: 'assets',
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      // No inline data: URLs: the Content-Security-Policy allows scripts, styles and images from 'self' only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  });
  writeFileSync(join(staging, HASH_FILE), hash);
  const old = `${WEB_DIST}.old-${process.pid}`;
  if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
  renameSync(staging, WEB_DIST);
  rmSync(old, { recursive: true, force: true });
  return measureWebBuild();
};

/** Builds when web/dist is missing or older than its inputs; concurrent callers (parallel test files) wait for one build. */
export const ensureWebBuild = async (log: (line: string) => void = () => undefined): Promise<void> => {
  if (isWebBuildFresh()) return;
  const lock = join(here, '.build-lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
      if (isWebBuildFresh()) return;
      if (waited > 180_000) throw new Error(`web build: ${lock} is held by another build for too long; remove it and retry`);
    }
  }
  try {
    if (isWebBuildFresh()) return;
    const started = Date.now();
    log('Building the web app (web/ → web/dist)…');
    const { firstLoadGzipBytes } = await buildWeb({ quiet: true });
    log(
      `✓ web app built (${((Date.now() - started) / 1000).toFixed(1)}s, first load ${(firstLoadGzipBytes / 1024).toFixed(1)} KB gzipped)`,
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

if (isMainModule(import.meta.url)) {
  const onlyIfStale = process.argv.includes('--if-stale');
  if (onlyIfStale) await ensureWebBuild((l) => console.log(l));
  else {
    const { files, firstLoadGzipBytes } = await buildWeb();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    for (const f of files) console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)} ${kb(f.gzipBytes).padStart(10)} gzipped`);
    const verdict = firstLoadGzipBytes <= FIRST_LOAD_BUDGET_BYTES ? 'within' : 'OVER';
    console.log(`first load: ${kb(firstLoadGzipBytes)} gzipped (${verdict} the ${kb(FIRST_LOAD_BUDGET_BYTES)} budget)`);
  }
}
