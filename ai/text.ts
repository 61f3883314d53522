// Text helpers shared by extraction and classification. Matching runs on a normalised form
// (lower-case, no accents, straight apostrophes) so "Arrête", "arrete" and "ARRÊTE" are one word list entry.

/** Lower-cases, strips diacritics (not ß), unifies apostrophes and collapses whitespace. */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A lexicon entry: a literal phrase (matched on whole words) or a regex written for normalised text. */
export type Phrase = string | RegExp;

const compiled = new WeakMap<readonly Phrase[], RegExp[]>();

// \b is ASCII-only in JS, so word edges are spelled out with Unicode letter/number classes.
function compilePhrase(phrase: Phrase): RegExp {
  if (phrase instanceof RegExp) return phrase;
  const body = normaliseForMatch(phrase).split(' ').map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

/** True when the (already normalised) text contains any of the phrases. Compiled regexes are cached per list. */
export function containsPhrase(normalisedText: string, phrases: readonly Phrase[]): boolean {
  let regexes = compiled.get(phrases);
  if (!regexes) {
    regexes = phrases.map(compilePhrase);
    compiled.set(phrases, regexes);
  }
  return regexes.some((re) => re.test(normalisedText));
}

/** Cuts text to at most `max` characters on a word boundary, adding an ellipsis when shortened. */
export function truncateAtWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

/** Like truncateAtWord but keeps line breaks, which chat replies use to put a link on its own line. */
export function truncateKeepingLines(text: string, max: number): string {
  const clean = text
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'));
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

export function capitaliseFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
