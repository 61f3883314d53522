/**
 * The web app's build: the first load (index.html and the files it links) stays within the budget of issue 14,
 * assets are content-hashed, nothing is inlined that the Content-Security-Policy would refuse, and the API types
 * the app is compiled against match the OpenAPI document the API serves today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { webApiTypes, WEB_API_TYPES } from '../../scripts/web-api-types.js';
import { ensureWebBuild, FIRST_LOAD_BUDGET_BYTES, measureWebBuild, WEB_DIST } from '../../web/build.js';

beforeAll(async () => {
  await ensureWebBuild();
}, 180_000);

describe('web app build', () => {
  it(`keeps the first load within ${FIRST_LOAD_BUDGET_BYTES / 1024} KB gzipped`, () => {
    const { files, firstLoadGzipBytes } = measureWebBuild();
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['index.html', expect.stringMatching(/^assets\/.+\.js$/)]));
    expect(firstLoadGzipBytes).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
  });

  it('names every asset by its content hash and inlines no script or style', () => {
    const assets = readdirSync(join(WEB_DIST, 'assets'));
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) expect(a).toMatch(/-[A-Za-z0-9_-]{8}\.(js|css|svg)$/);
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
  });

  it('is typed against the API as it is: web/src/api/schema.d.ts matches the OpenAPI document', async () => {
    // Out of date? Run `npm run web:api-types`.
    expect(readFileSync(WEB_API_TYPES, 'utf8')).toBe(await webApiTypes());
  });
});
