// Heuristics for "this reply is giving regulated advice". Only consulted when the conversation is already
// flagged as medical/legal/financial/emergency, so false positives merely swap in the safe canned reply.
import { normaliseForMatch } from './text.js';

const ADVICE_PATTERNS: readonly RegExp[] = [
  // Medication and dosing, in the languages we have word lists for.
  /\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|ml|milligrams?|micrograms?)\b/,
  /\b(?:dose|doses|dosage|dosing|posologie|dosis|dosierung)\b/,
  /\b(?:ibuprofen|paracetamol|acetaminophen|amoxicillin|antibiotics?|painkillers?|aspirin|codeine|naproxen|penicillin|metronidazole|ibuprofeno|amoxicilina|antibioticos?|ibuprofene|amoxicilline|antibiotiques?|antibiotika|antibiotikum|schmerzmittel|analgesicos?|antidouleurs?)\b/,
  /\btake (?:one|two|three|\d+) (?:tablets?|pills?|capsules?|spoons?)\b/,
  /\byou (?:should|could|can|must|need to|may want to|might want to|'d better) (?:take|try taking|use|apply|stop taking|rinse|gargle|sue|claim|invest|buy|sell|file|withdraw|move your|put your)\b/,
  /\b(?:i|we) (?:would )?(?:recommend|suggest|advise) (?:taking|using|applying|investing|suing|buying|selling|that you (?:take|sue|invest|claim))\b/,
  // Legal opinions.
  /\blegally,? you (?:can|can't|cannot|are|aren't|have|must|should|may)\b/,
  /\byou (?:have|'ve got) a (?:strong |good |solid |valid )?(?:case|claim)\b/,
  /\byou(?: are|'re) (?:legally )?entitled to\b/,
  /\b(?:under|according to) (?:the )?(?:law|section \d+|article \d+)\b/,
  // Financial recommendations.
  /\bguaranteed (?:returns?|profit)\b/,
  /\b(?:good|great|safe|smart) investment\b/,
  // Spanish, French, German equivalents of "you should take / you can sue / invest in".
  /\b(?:deberias|debes|deberia|debe usted) (?:tomar|demandar|invertir)\b/,
  /\b(?:vous devriez|tu devrais|il faut) (?:prendre|poursuivre|investir)\b/,
  /\b(?:sie sollten|du solltest)\b[^.!?]{0,40}\b(?:nehmen|verklagen|investieren)\b/,
];

export function looksLikeAdvice(reply: string): boolean {
  const normalised = normaliseForMatch(reply);
  return ADVICE_PATTERNS.some((pattern) => pattern.test(normalised));
}

/** Whether a reply already tells the customer they are talking to an automated assistant. */
export function mentionsAutomation(reply: string): boolean {
  return /autom|virtual|virtuel|chatbot|\bbot\b|\bAI\b|\bIA\b|\bKI\b/i.test(reply);
}
