/**
 * docs/policy-map.md is a checked artifact: every section of the privacy policy has rows, every promise has a
 * proof, and every test it names still exists under that name, so the policy's coverage cannot erode silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/tools/paths.js';
import { testNamesIn } from './test-names.js';

type Proof =
  { kind: 'test'; file: string; name: string } | { kind: 'no-code'; why: string } | { kind: 'not-yet'; item: number; what: string };
type Promise_ = { title: string; proofs: Proof[]; problems: string[] };
type Section = { heading: string; promises: Promise_[] };

const proofOf = (line: string): Proof | undefined => {
  const test = /^- `(test\/\S+\.test\.ts)` — (.+)$/.exec(line);
  if (test) return { kind: 'test', file: test[1]!, name: test[2]! };
  const noCode = /^- no code needed: (.{10,})$/.exec(line);
  if (noCode) return { kind: 'no-code', why: noCode[1]! };
  const notYet = /^- NOT YET: issue 16 item (\d+) — (.+)$/.exec(line);
  if (notYet) return { kind: 'not-yet', item: Number(notYet[1]), what: notYet[2]! };
  return undefined;
};

/** The map's sections and promises; a bullet under a promise that is none of the three proof forms is a problem. */
const parsePolicyMap = (text: string): Section[] => {
  const sections: Section[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) sections.push({ heading: line.slice(3).trim(), promises: [] });
    else if (line.startsWith('### ')) sections.at(-1)?.promises.push({ title: line.slice(4).trim(), proofs: [], problems: [] });
    else if (line.startsWith('- ')) {
      const promise = sections.at(-1)?.promises.at(-1);
      if (!promise) continue;
      const proof = proofOf(line);
      if (proof) promise.proofs.push(proof);
      else promise.problems.push(`"${promise.title}": not a proof line: ${line}`);
    }
  }
  return sections;
};

/** Everything wrong with the map, as sentences; `readTest` answers a test file's source, or undefined when it is gone. */
const policyMapProblems = (text: string, policySections: string[], readTest: (file: string) => string | undefined): string[] => {
  const sections = parsePolicyMap(text);
  const problems: string[] = [];
  const headings = sections.map((s) => s.heading);
  for (const h of policySections) if (!headings.includes(h)) problems.push(`no section "${h}" (the policy has it)`);
  for (const h of headings) if (!policySections.includes(h)) problems.push(`section "${h}" is not in the policy`);
  const names = new Map<string, string[] | undefined>();
  for (const section of sections) {
    if (section.promises.length === 0) problems.push(`section "${section.heading}" lists no promise`);
    for (const promise of section.promises) {
      problems.push(...promise.problems);
      if (promise.proofs.length === 0) problems.push(`"${promise.title}" has no proof line`);
      for (const proof of promise.proofs) {
        if (proof.kind === 'not-yet' && (proof.item < 1 || proof.item > 9))
          problems.push(`"${promise.title}": issue 16 has no item ${proof.item}`);
        if (proof.kind !== 'test') continue;
        if (!names.has(proof.file)) {
          const source = readTest(proof.file);
          names.set(proof.file, source === undefined ? undefined : testNamesIn(source));
        }
        const declared = names.get(proof.file);
        if (!declared) problems.push(`"${promise.title}": ${proof.file} does not exist`);
        else if (!declared.includes(proof.name)) problems.push(`"${promise.title}": ${proof.file} has no test named "${proof.name}"`);
      }
    }
  }
  return problems;
};

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readTest = (file: string) => (existsSync(join(ROOT, file)) ? read(file) : undefined);
const POLICY_SECTIONS = [...read('api/pages/privacy-policy.md').matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
const MAP = read('docs/policy-map.md');

describe('docs/policy-map.md', () => {
  it('covers every section of the privacy policy, each promise with a proof, every named test still existing', () => {
    expect(POLICY_SECTIONS).toHaveLength(15);
    expect(policyMapProblems(MAP, POLICY_SECTIONS, readTest)).toEqual([]);
    const proofs = parsePolicyMap(MAP).flatMap((s) => s.promises.flatMap((p) => p.proofs));
    expect(proofs.filter((p) => p.kind === 'test').length).toBeGreaterThan(50);
  });

  it('fails when a listed test is renamed or its file moves, a section is missing, or a promise has no proof', () => {
    const entry = '- `test/api/public-pages.test.ts` — lists as essential every cookie a route sets (§12)';
    expect(MAP).toContain(entry);
    const renamed = MAP.replace(entry, entry.replace('every cookie', 'each cookie'));
    expect(policyMapProblems(renamed, POLICY_SECTIONS, readTest)).toEqual([
      expect.stringContaining('has no test named "lists as essential each cookie a route sets (§12)"'),
    ]);
    const moved = MAP.replace(entry, entry.replace('test/api/public-pages', 'test/api/gone'));
    expect(policyMapProblems(moved, POLICY_SECTIONS, readTest)).toEqual([expect.stringContaining('test/api/gone.test.ts does not exist')]);
    const withoutSection = MAP.replace(/## 13\.[\s\S]*?(?=## 14\.)/, '');
    expect(policyMapProblems(withoutSection, POLICY_SECTIONS, readTest)).toEqual([
      'no section "13. Professional advice and urgent matters" (the policy has it)',
    ]);
    const bare = `## 1. Who we are\n\n### A promise\n\n- we think it is fine\n`;
    expect(policyMapProblems(bare, ['1. Who we are'], readTest)).toEqual([
      '"A promise": not a proof line: - we think it is fine',
      '"A promise" has no proof line',
    ]);
  });

  it('reads test names as declared: either quote, escapes, and a name on the line after it(', () => {
    const source = [
      "it('keeps the model\\'s own decision', () => {});",
      'test("a \\"quoted\\" name", () => {});',
      'it(\n  `spans lines`,\n  () => {});',
    ].join('\n');
    expect(testNamesIn(source)).toEqual(["keeps the model's own decision", 'a "quoted" name', 'spans lines']);
  });
});
