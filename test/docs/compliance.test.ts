/**
 * docs/compliance.md's collection table is a checked artifact: every MongoDB collection a model defines is listed
 * with what it holds and when it goes, so a new collection cannot quietly escape the retention story.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/tools/paths.js';

const MODELS = join(ROOT, 'db/models');
const definedCollections = () =>
  readdirSync(MODELS)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(MODELS, f), 'utf8').matchAll(/\.model\(\s*'\w+',\s*\w+,\s*'([a-z_]+)'\s*\)/g)].map((m) => m[1]!));

/** The rows of the "Every collection" table: each row's first cell names one or more collections in backticks. */
const listedCollections = () => {
  const doc = readFileSync(join(ROOT, 'docs/compliance.md'), 'utf8');
  const section = doc.split('## Every collection')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([a-z_*]+)`/g)].map((m) => m[1]!));
};

describe('docs/compliance.md', () => {
  it('names every MongoDB collection the code defines, with what it holds and when it goes', () => {
    const defined = definedCollections();
    expect(defined.length).toBeGreaterThan(20);
    const listed = listedCollections();
    const isListed = (c: string) => listed.some((l) => l === c || (l.endsWith('*') && c.startsWith(l.slice(0, -1))));
    expect(defined.filter((c) => !isListed(c))).toEqual([]);
  });
});
