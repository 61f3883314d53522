// Name extraction from introductions ("my name is Sam Smith", "I'm Sam", "me llamo Ana", "ich heiße Jonas").
// "Weak" introductions ("I'm …", "soy …", "je suis …") are usually followed by something other than a
// name ("I'm looking", "I'm in pain"), so they need a capitalised word or a word that ends the clause.
import { LEXICONS, wordsInAllLanguages } from './lexicon/index.js';
import { normaliseForMatch } from './text.js';

export type NameMatch = { name: string; start: number; end: number };

const TOKEN = String.raw`\p{L}[\p{L}'’-]*`;
const STOPWORDS = new Set(wordsInAllLanguages('nameStopwords').map(normaliseForMatch));
// Words that may legitimately follow a lower-case name: "i'm sam and…", "soy ana de…", "hier ist jan aus…".
const CLAUSE_CONTINUERS = new Set(['and', 'from', 'here', 'y', 'de', 'et', 'und', 'aus', 'von']);

function introRegex(kind: 'strong' | 'weak'): RegExp {
  const sources = Object.values(LEXICONS).flatMap((lex) => lex.nameIntro[kind]);
  return new RegExp(String.raw`(?<!\p{L})(?:${sources.join('|')})\s+(${TOKEN}(?:\s+${TOKEN}){0,3})`, 'giu');
}
const STRONG_INTRO = introRegex('strong');
const WEAK_INTRO = introRegex('weak');
const NAME_HERE = new RegExp(String.raw`^\s*(?:(?:hi|hello|hey|hiya)\b[\s,!.]*)?(\p{Lu}\p{L}+(?:\s+\p{Lu}\p{L}+)?)\s+here\b`, 'u');

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word);
const isStopword = (word: string) => STOPWORDS.has(normaliseForMatch(word));
const looksLikeVerbForm = (word: string) => /(?:ing|ed)$/i.test(word);

/** Reads the name tokens that follow an introduction; `rest` is the text after the captured tokens. */
function pickNameTokens(tokens: string[], rest: string, weak: boolean): string[] {
  const first = tokens[0];
  if (!first || isStopword(first) || first.length < 2) return [];
  const endsClause = (index: number) => {
    const next = tokens[index + 1];
    if (next !== undefined) return CLAUSE_CONTINUERS.has(normaliseForMatch(next)) || /^[,.!?;:)]/.test(next);
    return /^\s*(?:$|[,.!?;:)\n])/.test(rest);
  };
  if (!isCapitalised(first) && weak && (looksLikeVerbForm(first) || !endsClause(0))) return [];
  const picked = [first];
  for (let i = 1; i < tokens.length && picked.length < 3; i++) {
    const token = tokens[i] ?? '';
    if (isStopword(token) || CLAUSE_CONTINUERS.has(normaliseForMatch(token))) break;
    // Surnames: capitalised like the first name, or (all-lower-case writers) the last word of the clause.
    if (isCapitalised(token) ? isCapitalised(first) : !isCapitalised(first) && endsClause(i)) picked.push(token);
    else break;
  }
  return picked;
}

function titleCase(tokens: string[]): string {
  return tokens.map((t) => t.charAt(0).toUpperCase() + t.slice(1)).join(' ');
}

function firstIntroMatch(text: string, regex: RegExp, weak: boolean): NameMatch | undefined {
  for (const match of text.matchAll(regex)) {
    const captured = match[1] ?? '';
    const tokens = captured.split(/\s+/).map((t) => t.replace(/['’-]+$/, ''));
    const rest = text.slice(match.index + match[0].length);
    const picked = pickNameTokens(tokens, rest, weak);
    if (picked.length === 0) continue;
    const name = titleCase(picked);
    const nameEnd = match.index + match[0].length - captured.length + picked.join(' ').length;
    return { name, start: match.index, end: nameEnd };
  }
  return undefined;
}

/** Finds a self-introduction and where it sits in the text (used to cut it out of enquiry summaries). */
export function findNameIntroduction(text: string): NameMatch | undefined {
  const strong = firstIntroMatch(text, STRONG_INTRO, false);
  if (strong) return strong;
  const here = NAME_HERE.exec(text);
  if (here?.[1] && !here[1].split(/\s+/).some(isStopword)) {
    return { name: here[1], start: here.index, end: here.index + here[0].length };
  }
  return firstIntroMatch(text, WEAK_INTRO, true);
}

export function extractName(text: string): string | undefined {
  return findNameIntroduction(text)?.name;
}

/** A bare answer ("Sam", "sam smith", "It's Priya") to a question that asked for the visitor's name. */
export function extractNameFromAnswer(text: string): string | undefined {
  const match = new RegExp(String.raw`^(?:(?:it['’]?s|i['’]?m|my name is)\s+)?(${TOKEN}(?:\s+${TOKEN}){0,2})[.!]?$`, 'iu').exec(
    text.trim(),
  );
  const tokens = match?.[1]?.split(/\s+/) ?? [];
  if (tokens.length === 0 || tokens.some((t) => isStopword(t) || looksLikeVerbForm(t))) return undefined;
  return titleCase(tokens);
}
