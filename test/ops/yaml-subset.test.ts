import { describe, expect, it } from 'vitest';
import { parseYamlSubset, YamlSubsetError } from './yaml-subset.js';

describe('parseYamlSubset', () => {
  it('reads nested mappings, lists, quoted strings, flow lists and scalars', () => {
    const doc = parseYamlSubset(`
# comment
a:
  b: "x # not a comment"   # a comment
  n: 12
  t: true
  plain: hello world
  empty: {}
  list:
    - "one"
    - two
  flow: ["CMD", "node", "-e", "fetch('x')"]
  items:
    - name: first
      value: 1
    - name: second
`);
    expect(doc).toEqual({
      a: {
        b: 'x # not a comment',
        n: 12,
        t: true,
        plain: 'hello world',
        empty: {},
        list: ['one', 'two'],
        flow: ['CMD', 'node', '-e', "fetch('x')"],
        items: [{ name: 'first', value: 1 }, { name: 'second' }],
      },
    });
  });

  it('resolves an anchored mapping merged with <<, local keys winning', () => {
    const doc = parseYamlSubset(`
base: &env
  A: "1"
  B: "2"
svc:
  environment:
    <<: *env
    B: "3"
`) as { svc: { environment: Record<string, string> } };
    expect(doc.svc.environment).toEqual({ A: '1', B: '3' });
  });

  it('refuses syntax outside the subset, naming the line', () => {
    expect(() => parseYamlSubset('a: |\n  text')).toThrow(/line 1: unsupported/);
    expect(() => parseYamlSubset("a: 'single'")).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: {b: 1}')).toThrow(/line 1/);
    expect(() => parseYamlSubset('a:\n\tb: 1')).toThrow(/tabs/);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/duplicate key a/);
    expect(() => parseYamlSubset('a: *nope')).toThrow(/unknown alias/);
  });

  it('keeps "__proto__" an ordinary key', () => {
    const doc = parseYamlSubset('"__proto__":\n  polluted: true') as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
