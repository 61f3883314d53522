// The one place that knows which languages we have word lists for. Detection runs every language's list
// on every message, because visitors often write in a language other than the business's.
import { type Phrase } from '../text.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { type Lexicon } from './types.js';

export type { Lexicon, SpecialistPhrases } from './types.js';

export const LEXICONS: Readonly<Record<string, Lexicon>> = { en, es, fr, de };

export function lexiconFor(language: string): Lexicon | undefined {
  return LEXICONS[language.toLowerCase().split('-')[0] ?? ''];
}

type PhraseListKey = 'humanRequest' | 'deletionRequest' | 'booking' | 'pricing' | 'openingHours' | 'urgent' | 'benignLookalikes';

const merged = new Map<string, Phrase[]>();

/** One list per key with every language's phrases, built once so compiled regexes are cached by identity. */
export function phrasesInAllLanguages(key: PhraseListKey | `specialist.${keyof Lexicon['specialist']}`): Phrase[] {
  let list = merged.get(key);
  if (!list) {
    list = Object.values(LEXICONS).flatMap((lex) =>
      key.startsWith('specialist.') ? lex.specialist[key.slice(11) as keyof Lexicon['specialist']] : lex[key as PhraseListKey],
    );
    merged.set(key, list);
  }
  return list;
}

export function wordsInAllLanguages(key: 'stopMessages' | 'politeFillers' | 'greetings' | 'nameStopwords'): string[] {
  return Object.values(LEXICONS).flatMap((lex) => lex[key]);
}
