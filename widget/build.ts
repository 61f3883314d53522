/**
 * Bundles widget/src into the single self-contained widget.js (IIFE, es2019, minified, no
 * runtime dependencies). The API server calls buildWidget() in-process at start-up and serves
 * the result from memory; `tsx widget/build.ts` writes widget/dist/widget.js and prints sizes.
 * Synchronous on purpose: callers may use it with or without `await`.
 */
import { buildSync } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isMainModule } from '../lib/main-module.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface BuildWidgetOptions {
  minify?: boolean;
  /** Also write the bundle to this path (directories are created). */
  outFile?: string;
}

export interface BuiltWidget {
  code: string;
  bytes: number;
  gzipBytes: number;
}

/** Budget from the product brief; exceeding it is reported, not fatal. */
export const GZIP_BUDGET_BYTES = 30 * 1024;

export const buildWidget = ({ minify = true, outFile }: BuildWidgetOptions = {}): BuiltWidget => {
  const result = buildSync({
    entryPoints: [join(here, 'src/main.ts')],
    tsconfig: join(here, 'tsconfig.json'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify,
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for widget/src/main.ts');
  const code = output.text;
  const built = { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
  if (outFile) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, code);
  }
  return built;
};

if (isMainModule(import.meta.url)) {
  const outFile = join(here, 'dist/widget.js');
  const { bytes, gzipBytes } = buildWidget({ outFile });
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const verdict = gzipBytes <= GZIP_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`widget.js → ${outFile}: ${kb(bytes)} minified, ${kb(gzipBytes)} gzipped (${verdict} the ${kb(GZIP_BUDGET_BYTES)} budget)`);
}
