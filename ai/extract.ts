// Lead-field extraction from what the visitor wrote. Pattern-based, so it works with no model at all and
// also acts as a cross-check on what a model claims it extracted.
import { extractNameFromAnswer, findNameIntroduction } from './extract-name.js';
import { wordsInAllLanguages } from './lexicon/index.js';
import { extractPhone, removePhones } from './phone.js';
import { capitaliseFirst, normaliseForMatch, truncateAtWord } from './text.js';
import { type LeadFields, type TranscriptMessage } from './types.js';

export { extractName, extractNameFromAnswer, findNameIntroduction } from './extract-name.js';
export { extractPhone, normalisePhone } from './phone.js';

export const ENQUIRY_MAX_CHARS = 140;

const EMAIL_EXACT = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/u;
/** The address at the start of a bounded candidate (the TLD may be followed by other characters). */
const EMAIL_AT_START = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/iu;
const LOCAL_CHAR = /[a-z0-9._%+-]/iu;
const DOMAIN_CHAR = /[a-z0-9.-]/iu;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/**
 * Plausible addresses in free text, found around each '@' with bounded look-behind and look-ahead. A regex
 * scanning the whole text tried every start position over runs of address characters: quadratic, seconds at
 * 80k characters, and it runs over the last 40 messages on every reply. Each '@' here costs at most ~320 steps.
 */
function emailSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let floor = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > floor && at - start < MAX_LOCAL && LOCAL_CHAR.test(text.charAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text.charAt(end))) end++;
    const match = EMAIL_AT_START.exec(text.slice(start, end));
    if (!match) continue;
    spans.push({ start, end: start + match[0].length });
    floor = start + match[0].length;
  }
  return spans;
}

/** The text with every address replaced by a space. */
const removeEmails = (text: string) => {
  let out = '';
  let last = 0;
  for (const span of emailSpans(text)) {
    out += `${text.slice(last, span.start)} `;
    last = span.end;
  }
  return out + text.slice(last);
};

/** Lower-cased address when syntactically plausible (no consecutive/edge dots), else undefined. */
export function normaliseEmail(raw: string): string | undefined {
  const email = raw
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  if (email.length > 254 || !EMAIL_EXACT.test(email)) return undefined;
  const local = email.split('@')[0] ?? '';
  if (local.startsWith('.') || local.endsWith('.') || email.includes('..')) return undefined;
  return email;
}

export function extractEmail(text: string): string | undefined {
  for (const span of emailSpans(text)) {
    const email = normaliseEmail(text.slice(span.start, span.end).replace(/[.]+$/, ''));
    if (email) return email;
  }
  return undefined;
}

const GREETINGS = wordsInAllLanguages('greetings').sort((a, b) => b.length - a.length);
const CONTACT_LEADINS =
  /\b(?:my (?:phone |mobile |cell )?(?:number|no\.?|email(?: address)?|e-mail) is|(?:you can )?(?:call|reach|text|email|contact) me (?:on|at)|mi (?:numero|número|correo|email) es|mon (?:numéro|numero|email|e-mail) est|meine (?:nummer|telefonnummer|e-mail|email) ist)\s*:?\s*$/iu;

function stripLeadingGreeting(text: string): string {
  const normalised = normaliseForMatch(text);
  for (const greeting of GREETINGS) {
    if (normalised.startsWith(greeting) && !/[\p{L}\p{N}]/u.test(normalised.charAt(greeting.length))) {
      // Greetings are ASCII after normalisation, so lengths line up with the original for these prefixes.
      return text
        .trimStart()
        .slice(greeting.length)
        .replace(/^[\s,!.:;-]+/, '');
    }
  }
  return text;
}

/**
 * One-line summary of a message for the CRM: greeting, self-introduction and contact details removed,
 * ≤ 140 chars. Undefined when nothing substantive is left ("hi", "thanks", just a phone number).
 */
export function summariseEnquiry(text: string, country: string): string | undefined {
  let rest = text;
  const intro = findNameIntroduction(rest);
  // "my name is Sam and I'd like…" → "I'd like…": drop the introduction and the conjunction that joined it.
  if (intro)
    rest = `${rest.slice(0, intro.start)} ${rest.slice(intro.end).replace(/^\s*[,.!;:-]*\s*(?:(?:and|but|so|y|et|und)\s+)?/iu, '')}`;
  rest = removeEmails(rest);
  rest = removePhones(rest, country);
  rest = rest
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(CONTACT_LEADINS, ''))
    .join(' ');
  rest = rest.replace(CONTACT_LEADINS, '');
  rest = stripLeadingGreeting(rest.trim())
    .replace(/\s+/g, ' ')
    .replace(/^[\s,.;:!-]+/, '')
    .trim();
  const words = rest.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 2) return undefined;
  return truncateAtWord(capitaliseFirst(rest.replace(/[\s,;:-]+$/, '')), ENQUIRY_MAX_CHARS);
}

const ASKED_FOR_NAME = /\b(?:your name|name should i|who am i speaking|nombre|votre nom|ihr name|ihren namen)\b/iu;

/** Merges lead fields across all visitor messages; later values win, the enquiry is the first substantive one. */
export function extractLeadFields(transcript: TranscriptMessage[], country: string): LeadFields {
  const lead: LeadFields = {};
  let previousOutbound: string | undefined;
  for (const message of transcript) {
    if (message.direction === 'outbound') {
      previousOutbound = message.text;
      continue;
    }
    if (message.author !== 'visitor') continue;
    // An answer to "could I take your name and number?" is often "sam, 07700 900123": drop the contact bits first.
    const answer = () =>
      extractNameFromAnswer(removeEmails(removePhones(message.text, country)).replace(/[\s,;:&+-]+$|\s+(?:and|y|et|und)\s*$/giu, ''));
    const name =
      findNameIntroduction(message.text)?.name ?? (previousOutbound && ASKED_FOR_NAME.test(previousOutbound) ? answer() : undefined);
    if (name) lead.name = name;
    const phone = extractPhone(message.text, country);
    if (phone) lead.phone = phone;
    const email = extractEmail(message.text);
    if (email) lead.email = email;
    lead.enquiry ??= summariseEnquiry(message.text, country);
  }
  return lead;
}
