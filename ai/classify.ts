// Classification of a visitor message: enquiry type (per niche), urgency, and whether it needs a
// regulated specialist. Specialist detection errs towards flagging: a false "needs a human" costs a
// staff member a glance, a missed one could mean the assistant appears to give medical/legal advice.
import { phrasesInAllLanguages, wordsInAllLanguages } from './lexicon/index.js';
import { nicheFamily, TAXONOMY } from './taxonomy.js';
import { containsPhrase, normaliseForMatch } from './text.js';
import { type SpecialistKind, type Urgency } from './types.js';

export type EnquiryClassification = { enquiryType: string; urgency: Urgency; specialist: SpecialistKind };

const URGENCY_ORDER: readonly Urgency[] = ['low', 'normal', 'high', 'emergency'];

export function maxUrgency(a: Urgency, b: Urgency): Urgency {
  return URGENCY_ORDER.indexOf(a) >= URGENCY_ORDER.indexOf(b) ? a : b;
}

// Most severe first: an emergency outranks the medical words it usually contains.
const SPECIALIST_ORDER: readonly Exclude<SpecialistKind, 'none'>[] = ['emergency', 'medical', 'legal', 'financial', 'other_regulated'];

export function moreSevereSpecialist(a: SpecialistKind, b: SpecialistKind): SpecialistKind {
  if (a === 'none') return b;
  if (b === 'none') return a;
  return SPECIALIST_ORDER.indexOf(a) <= SPECIALIST_ORDER.indexOf(b) ? a : b;
}

function withoutBenignLookalikes(normalised: string): string {
  return phrasesInAllLanguages('benignLookalikes').reduce<string>(
    (text, phrase) =>
      typeof phrase === 'string' ? text.split(normaliseForMatch(phrase)).join(' ') : text.replace(new RegExp(phrase.source, 'gu'), ' '),
    normalised,
  );
}

export function detectSpecialist(text: string): SpecialistKind {
  const normalised = withoutBenignLookalikes(normaliseForMatch(text));
  return SPECIALIST_ORDER.find((kind) => containsPhrase(normalised, phrasesInAllLanguages(`specialist.${kind}`))) ?? 'none';
}

export function detectHumanRequest(text: string): boolean {
  return containsPhrase(normaliseForMatch(text), phrasesInAllLanguages('humanRequest'));
}

export function detectDeletionRequest(text: string): boolean {
  return containsPhrase(normaliseForMatch(text), phrasesInAllLanguages('deletionRequest'));
}

export function detectBookingIntent(text: string): boolean {
  return containsPhrase(normaliseForMatch(text), phrasesInAllLanguages('booking'));
}

export function detectPricingQuestion(text: string): boolean {
  return containsPhrase(normaliseForMatch(text), phrasesInAllLanguages('pricing'));
}

export function detectHoursQuestion(text: string): boolean {
  return containsPhrase(normaliseForMatch(text), phrasesInAllLanguages('openingHours'));
}

const STOP_MESSAGES = new Set(wordsInAllLanguages('stopMessages').map(normaliseForMatch));
const FILLERS = wordsInAllLanguages('politeFillers')
  .map(normaliseForMatch)
  .sort((a, b) => b.length - a.length);

/** True only when the whole message is an opt-out ("STOP", "unsubscribe please", "Arrête !"), not "stop the leak". */
export function detectStop(text: string): boolean {
  let rest = normaliseForMatch(text)
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (rest.length === 0 || rest.split(' ').length > 8) return false;
  for (let changed = true; changed;) {
    changed = false;
    for (const filler of FILLERS) {
      if (rest.startsWith(`${filler} `)) rest = rest.slice(filler.length + 1);
      else if (rest.endsWith(` ${filler}`)) rest = rest.slice(0, -filler.length - 1);
      else continue;
      changed = true;
    }
  }
  return STOP_MESSAGES.has(rest);
}

function fallbackType(text: string): string {
  const looksLikeQuestion = /\?|^\s*(what|how|do|does|can|could|is|are|where|when|why|which|who|que|como|est-ce|wie|was|kann)\b/i.test(
    text,
  );
  return looksLikeQuestion ? 'general_question' : 'other';
}

export function classifyEnquiry(text: string, niche: string): EnquiryClassification {
  const normalised = normaliseForMatch(text);
  const specialist = detectSpecialist(text);
  const matched = TAXONOMY[nicheFamily(niche)].find((r) => containsPhrase(normalised, r.phrases));
  const enquiryType = matched?.type ?? fallbackType(text);

  let urgency: Urgency = matched?.urgency ?? (enquiryType === 'general_question' || enquiryType === 'other' ? 'low' : 'normal');
  if (containsPhrase(normalised, phrasesInAllLanguages('urgent'))) urgency = maxUrgency(urgency, 'high');
  // Anything a regulated professional must look at is at least 'high' so it is not left until tomorrow.
  if (specialist !== 'none') urgency = maxUrgency(urgency, 'high');
  if (specialist === 'emergency') urgency = 'emergency';
  return { enquiryType, urgency, specialist };
}
