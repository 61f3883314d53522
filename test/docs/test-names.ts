/** The names of the tests a file declares (`it('…')`, `test("…")`, `` it(`…`) ``), read from its source text. */
const CALL = /\b(?:it|test)(?:\.(?:skip|only|concurrent|sequential|fails|todo))?\s*\(\s*(['"`])/g;

/** The string literal that starts at `start` (just after its opening quote), unescaped; template parts stay as written. */
const literalAt = (source: string, start: number, quote: string) => {
  let out = '';
  for (let i = start; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      out += source[++i] ?? '';
      continue;
    }
    if (ch === quote) return out;
    out += ch;
  }
  return undefined;
};

export const testNamesIn = (source: string): string[] =>
  [...source.matchAll(CALL)].map((m) => literalAt(source, m.index + m[0].length, m[1]!)).filter((n): n is string => n !== undefined);
