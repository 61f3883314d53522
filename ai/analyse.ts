// One pass over the conversation shared by the offline and OpenAI responders, so both apply exactly the
// same lead extraction, classification and safety decisions.
import {
  classifyEnquiry,
  detectBookingIntent,
  detectDeletionRequest,
  detectHoursQuestion,
  detectHumanRequest,
  detectPricingQuestion,
  detectStop,
  type EnquiryClassification,
} from './classify.js';
import { extractLeadFields, extractName } from './extract.js';
import { type AssistantResult, type BusinessProfile, type LeadFields, type RespondInput, type SpecialistKind } from './types.js';
import { openingStatus, type OpeningStatus } from './working-hours.js';

export type Intents = AssistantResult['intents'];

export type ConversationAnalysis = {
  lead: LeadFields;
  pendingText: string; // visitor messages since our last reply, joined
  classification: EnquiryClassification;
  intents: Intents;
  wantsPricing: boolean;
  wantsHours: boolean;
  nameJustGiven: boolean;
  opening: OpeningStatus;
};

/**
 * Visitors often split one thought over several messages ("hi" / "my son swallowed bleach" / "what do I do"),
 * so everything they sent since the last outbound message is classified together.
 */
function pendingVisitorMessages(input: RespondInput): string[] {
  const lastOutbound = input.transcript.map((m) => m.direction).lastIndexOf('outbound');
  const pending = input.transcript.slice(lastOutbound + 1).filter((m) => m.author === 'visitor' && m.text.trim());
  if (pending.length > 0) return pending.map((m) => m.text);
  const lastVisitor = [...input.transcript].reverse().find((m) => m.author === 'visitor');
  return lastVisitor ? [lastVisitor.text] : [];
}

export function analyseConversation(input: RespondInput): ConversationAnalysis {
  const pending = pendingVisitorMessages(input);
  const pendingText = pending.join('\n');
  const lastMessage = pending[pending.length - 1] ?? '';
  return {
    lead: extractLeadFields(input.transcript, input.business.country),
    pendingText,
    classification: classifyEnquiry(pendingText, input.business.niche),
    intents: {
      wantsHuman: detectHumanRequest(pendingText),
      wantsDeletion: detectDeletionRequest(pendingText),
      wantsStop: detectStop(lastMessage),
      wantsBooking: detectBookingIntent(pendingText),
    },
    wantsPricing: detectPricingQuestion(pendingText),
    wantsHours: detectHoursQuestion(pendingText),
    nameJustGiven: pending.some((text) => extractName(text) !== undefined),
    opening: openingStatus(input.business, input.now),
  };
}

export function primaryBookingLink(business: BusinessProfile): { label: string; url: string } | undefined {
  return business.bookingLinks[0] ?? (business.calendlyUrl ? { label: 'Book a call', url: business.calendlyUrl } : undefined);
}

/** Emergency outranks everything; a specialist flag is more useful to staff than "they asked for a person". */
export function humanDecision(intents: Intents, specialist: SpecialistKind): Pick<AssistantResult, 'needsHuman' | 'humanReason'> {
  if (specialist === 'emergency') return { needsHuman: true, humanReason: 'emergency' };
  if (specialist !== 'none') return { needsHuman: true, humanReason: 'specialist' };
  if (intents.wantsHuman) return { needsHuman: true, humanReason: 'requested' };
  return { needsHuman: false };
}

const MAX_QUICK_REPLIES = 13; // Messenger's limit
const MAX_TITLE_CHARS = 20;

export function buildQuickReplies(
  business: BusinessProfile,
  intents: Intents,
  isFirstReply: boolean,
  specialist: SpecialistKind = 'none',
): AssistantResult['quickReplies'] {
  if (intents.wantsStop) return []; // an opt-out gets no further prompts
  const replies: AssistantResult['quickReplies'] = [];
  // A "Book now" button next to "call 999" would be tone-deaf and a distraction.
  const offerBooking = specialist !== 'emergency' && (intents.wantsBooking || isFirstReply);
  if (primaryBookingLink(business) && offerBooking) replies.push({ title: 'Book now', payload: 'BOOK' });
  if (!intents.wantsHuman) replies.push({ title: 'Talk to a person', payload: 'HUMAN' });
  return replies.slice(0, MAX_QUICK_REPLIES).map((r) => ({ ...r, title: r.title.slice(0, MAX_TITLE_CHARS) }));
}
