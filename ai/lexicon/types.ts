import { type Phrase } from '../text.js';

export type SpecialistPhrases = {
  emergency: Phrase[]; // danger to life right now: tell them to call the emergency number
  medical: Phrase[];
  legal: Phrase[];
  financial: Phrase[];
  other_regulated: Phrase[];
};

/**
 * Every word list for one language. Strings match whole words on normalised text (lower-case, no accents);
 * RegExps must be written for normalised text too (e.g. "loschen", not "löschen").
 */
export type Lexicon = {
  humanRequest: Phrase[];
  deletionRequest: Phrase[];
  stopMessages: string[]; // a message consisting ONLY of one of these (plus polite filler) is an opt-out
  politeFillers: string[];
  booking: Phrase[];
  pricing: Phrase[];
  openingHours: Phrase[]; // "what time do you open?": answered with the listed hours
  urgent: Phrase[];
  greetings: string[]; // stripped from the start of enquiry summaries
  specialist: SpecialistPhrases;
  benignLookalikes: Phrase[]; // removed before specialist matching, e.g. "bleed the radiator"
  nameIntro: { strong: string[]; weak: string[] }; // regex sources matched case-insensitively on original text
  nameStopwords: string[]; // words that follow "I'm"/"soy"/"ich bin" but are not names
  disclosure: (businessName: string) => string;
};
