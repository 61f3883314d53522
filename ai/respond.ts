// Entry point for reply generation: OpenAI when configured, the deterministic offline responder otherwise,
// and a fixed safe message if even that fails — the customer always gets an answer.
import type OpenAI from 'openai';
import { respondOffline } from './offline-responder.js';
import { respondWithOpenAI, type OpenAIResponderOptions } from './openai-responder.js';
import { type AssistantResult, type BusinessProfile, type RespondInput } from './types.js';

export type RespondDeps = {
  openai?: { client: OpenAI; model: string } & OpenAIResponderOptions;
  onFallback?: (error: unknown) => void; // for logging/metrics; must not throw
};

/** Last-resort reply that needs nothing but the business name. */
export function safeFallbackReply(business: Pick<BusinessProfile, 'name'>): string {
  return `Thanks for your message! I'm the automated assistant for ${business.name}. A member of the team will get back to you here as soon as possible.`;
}

function safeFallbackResult(input: RespondInput): AssistantResult {
  return {
    reply: safeFallbackReply(input.business),
    lead: {},
    enquiryType: 'other',
    urgency: 'normal',
    specialist: 'none',
    needsHuman: true,
    humanReason: 'unsure',
    intents: { wantsHuman: false, wantsDeletion: false, wantsStop: false, wantsBooking: false },
    quickReplies: [],
    source: 'fallback',
  };
}

function offlineOrSafe(input: RespondInput, source: AssistantResult['source']): AssistantResult {
  try {
    return { ...respondOffline(input), source };
  } catch {
    return safeFallbackResult(input);
  }
}

export async function respond(input: RespondInput, deps: RespondDeps = {}): Promise<AssistantResult> {
  if (!deps.openai) return offlineOrSafe(input, 'offline');
  const { client, model, ...options } = deps.openai;
  try {
    return await respondWithOpenAI(client, model, input, options);
  } catch (error) {
    try {
      deps.onFallback?.(error);
    } catch {
      // a broken logger must not cost the customer their reply
    }
    return offlineOrSafe(input, 'fallback');
  }
}
