// Deterministic replies with no model: used when OpenAI is not configured or fails, and as the source of
// the safe specialist reply that replaces model output that looks like advice. Same input → same output
// (time comes only from input.now). Replies are English; other business languages get a short note.
import { analyseConversation, buildQuickReplies, humanDecision, primaryBookingLink, type ConversationAnalysis } from './analyse.js';
import { emergencyNumber } from './countries.js';
import { type AssistantResult, type BusinessProfile, type RespondInput, type SpecialistKind } from './types.js';
import { describeHours, type OpeningStatus } from './working-hours.js';

const ADVICE_LABEL: Record<Exclude<SpecialistKind, 'none' | 'emergency'>, string> = {
  medical: 'medical',
  legal: 'legal',
  financial: 'financial',
  other_regulated: 'professional',
};

export function disclosureLine(business: BusinessProfile): string {
  return `I'm the automated assistant for ${business.name}.`;
}

/** "later today at 09:00", "tomorrow at 09:00" or "on Monday at 09:00" — relative to the business's own date. */
function whenWeReopen(opening: OpeningStatus): string | undefined {
  const next = opening.nextOpen;
  if (!next) return undefined;
  if (next.date === opening.localDate) return `later today at ${next.time}`;
  const dayAfter = new Date(`${opening.localDate}T00:00:00Z`);
  dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
  if (next.date === dayAfter.toISOString().slice(0, 10)) return `tomorrow at ${next.time}`;
  return `on ${next.weekday} at ${next.time}`;
}

function languageNote(business: BusinessProfile): string | undefined {
  if (business.language.toLowerCase().startsWith('en')) return undefined;
  let name = business.language;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(business.language) ?? name;
  } catch {
    // keep the code itself
  }
  return `(This is an automatic reply in English; the team can continue in ${name}.)`;
}

function safetySentences(business: BusinessProfile, specialist: SpecialistKind): string[] {
  const emergency = emergencyNumber(business.country);
  if (specialist === 'emergency') {
    return [
      `If anyone is in danger or seriously unwell, please call ${emergency} now.`,
      `I can't give advice here, but I've flagged your message as urgent so the ${business.name} team can review it personally.`,
    ];
  }
  if (specialist === 'none') return [];
  const lines = [
    `I'm not able to give ${ADVICE_LABEL[specialist]} advice here, but I've flagged your message so the team can review it personally and get back to you.`,
  ];
  if (specialist === 'medical') lines.push(`If it becomes an emergency, please call ${emergency}.`);
  return lines;
}

function requestSentences(input: RespondInput, a: ConversationAnalysis): string[] {
  const { business } = input;
  const lines: string[] = [];
  const reopen = a.opening.hoursListed && !a.opening.isOpen ? whenWeReopen(a.opening) : undefined;
  if (a.intents.wantsDeletion)
    lines.push(`I've noted your request to delete your data; the ${business.name} team will handle it and confirm with you.`);
  if (a.intents.wantsHuman)
    lines.push(`Of course — a member of the team will reply here ${reopen ? `when we reopen ${reopen}` : 'as soon as they can'}.`);
  if (a.intents.wantsBooking && a.classification.specialist !== 'emergency') {
    const link = primaryBookingLink(business);
    lines.push(link ? `You can book here: ${link.url}` : `I'll pass your booking request to the team and they'll confirm a time with you.`);
  }
  if (a.wantsPricing) {
    const pricing = business.pricing?.trim();
    lines.push(
      pricing
        ? `Our prices: ${/[.!?]$/.test(pricing) ? pricing : `${pricing}.`}`
        : `I don't have exact prices to hand, so the team will confirm the cost with you.`,
    );
  }
  if (a.wantsHours) {
    lines.push(
      a.opening.hoursListed
        ? `Our opening hours are ${describeHours(business)}.`
        : `I don't have our opening hours to hand, so the team will confirm them with you.`,
    );
  }
  if (reopen && !a.intents.wantsHuman) lines.push(`We're closed right now, so the team will reply when we reopen ${reopen}.`);
  return lines;
}

function contactQuestion(a: ConversationAnalysis): string | undefined {
  const { lead } = a;
  if (a.intents.wantsDeletion || a.classification.specialist === 'emergency') return undefined; // never ask for more data then
  if (!lead.phone && !lead.email) {
    return lead.name
      ? `What's the best phone number or email to reach you on?`
      : `Could I take your name and the best phone number or email to reach you?`;
  }
  return lead.name ? undefined : `And what name should I pass on to the team?`;
}

export function respondOffline(input: RespondInput): AssistantResult {
  const a = analyseConversation(input);
  const { business } = input;
  const { specialist } = a.classification;
  const firstName = a.lead.name?.split(' ')[0];
  const opening: string[] = [];
  const hello = specialist === 'emergency' ? '' : `Hi${firstName ? ` ${firstName}` : ''}! `;
  if (input.isFirstReply) opening.push(`${hello}${disclosureLine(business)}`);
  else if (a.nameJustGiven && firstName && specialist !== 'emergency') opening.push(`Thanks, ${firstName}!`);

  let body: string[];
  if (a.intents.wantsStop) {
    body = [`Understood — you won't receive any more automated messages from us here.`];
  } else {
    body = [...safetySentences(business, specialist), ...requestSentences(input, a)];
    const saidHelloOnly = body.length === 0 && !a.lead.enquiry;
    if (saidHelloOnly)
      body.push('How can I help today?'); // ask for contact details once we know what they need
    else if (body.length === 0) body.push(`Thanks for your message — I've noted it for the team.`);
    const ask = saidHelloOnly ? undefined : contactQuestion(a);
    if (ask) body.push(ask);
  }
  // In an emergency the instruction to call for help comes before anything else, even the greeting.
  if (specialist === 'emergency' && !a.intents.wantsStop) opening.unshift(...body.splice(0, 1));
  const note = languageNote(business);
  const reply = [...opening, ...body, ...(note ? [note] : [])].join(' ');

  return {
    reply,
    lead: a.lead,
    enquiryType: a.classification.enquiryType,
    urgency: a.classification.urgency,
    specialist,
    ...humanDecision(a.intents, specialist),
    intents: a.intents,
    quickReplies: buildQuickReplies(business, a.intents, input.isFirstReply, specialist),
    source: 'offline',
  };
}
