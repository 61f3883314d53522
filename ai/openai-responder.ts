// Reply generation with an OpenAI chat model, wrapped in our own validation and safety net: the model
// drafts, but pattern extraction, classification and the advice guard have the last word.
import type OpenAI from 'openai';
import { looksLikeAdvice, mentionsAutomation } from './advice-guard.js';
import { analyseConversation, buildQuickReplies, humanDecision } from './analyse.js';
import { maxUrgency, moreSevereSpecialist } from './classify.js';
import { emergencyNumber } from './countries.js';
import { lexiconFor } from './lexicon/index.js';
import { disclosureLine, respondOffline } from './offline-responder.js';
import { buildMessages } from './prompt.js';
import { ASSISTANT_OUTPUT_RESPONSE_FORMAT, parseModelOutput, type SanitisedModelOutput } from './result-schema.js';
import { normaliseForMatch } from './text.js';
import { type AssistantResult, type LeadFields, type RespondInput } from './types.js';

export class InvalidModelOutputError extends Error {
  override readonly name = 'InvalidModelOutputError';
  constructor(
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`Model output invalid after ${attempts} attempt(s): ${lastError}`);
  }
}

export type OpenAIResponderOptions = {
  maxAttempts?: number; // total model calls when the output is invalid (default 2 = one corrective retry)
  timeoutMs?: number; // per request (default 20 s): a chat customer will not wait longer
  sdkMaxRetries?: number; // SDK-level retries on 429/5xx (default 0: we fall back to the offline reply instead)
};

/** Model-extracted contact details are kept only if the visitor really wrote them (guards against invention). */
function mergeLead(fromModel: LeadFields, fromPatterns: LeadFields, input: RespondInput): LeadFields {
  const visitorText = input.transcript
    .filter((m) => m.author === 'visitor')
    .map((m) => m.text)
    .join('\n');
  const visitorDigits = visitorText.replace(/\D/g, '');
  const normalisedText = normaliseForMatch(visitorText);
  const grounded = {
    name: fromModel.name && normalisedText.includes(normaliseForMatch(fromModel.name.split(' ')[0] ?? '')),
    phone: fromModel.phone && visitorDigits.includes(fromModel.phone.slice(-7)),
    email: fromModel.email && normalisedText.includes(fromModel.email),
  };
  const lead: LeadFields = {};
  const name = grounded.name ? fromModel.name : fromPatterns.name;
  const phone = grounded.phone ? fromModel.phone : fromPatterns.phone;
  const email = grounded.email ? fromModel.email : fromPatterns.email;
  const enquiry = fromModel.enquiry ?? fromPatterns.enquiry;
  if (name) lead.name = name;
  if (phone) lead.phone = phone;
  if (email) lead.email = email;
  if (enquiry) lead.enquiry = enquiry;
  return lead;
}

function applySafetyNet(input: RespondInput, output: SanitisedModelOutput): AssistantResult {
  const { business } = input;
  const analysis = analyseConversation(input);
  const specialist = moreSevereSpecialist(analysis.classification.specialist, output.specialist);
  let urgency = maxUrgency(output.urgency, analysis.classification.urgency);
  if (specialist !== 'none') urgency = maxUrgency(urgency, 'high');
  if (specialist === 'emergency') urgency = 'emergency';

  const intents = {
    wantsHuman: output.wantsHuman || analysis.intents.wantsHuman,
    wantsDeletion: output.wantsDeletion || analysis.intents.wantsDeletion,
    wantsStop: output.wantsStop || analysis.intents.wantsStop,
    wantsBooking: output.wantsBooking || analysis.intents.wantsBooking,
  };
  const ours = humanDecision(intents, specialist);
  const human = ours.needsHuman || !output.needsHuman ? ours : { needsHuman: true, humanReason: output.humanReason ?? 'unsure' };

  let reply = output.reply;
  const emergency = emergencyNumber(business.country);
  if (specialist !== 'none' && looksLikeAdvice(reply)) {
    reply = respondOffline(input).reply; // never pass on advice, however well meant
  } else if (specialist === 'emergency' && !reply.includes(emergency)) {
    reply = `If anyone is in danger, please call ${emergency} now. ${reply}`;
  }
  if (input.isFirstReply && !mentionsAutomation(reply)) {
    reply = `${lexiconFor(business.language)?.disclosure(business.name) ?? disclosureLine(business)} ${reply}`;
  }

  return {
    reply,
    lead: mergeLead(output.lead, analysis.lead, input),
    enquiryType: output.enquiryType,
    urgency,
    specialist,
    ...human,
    intents,
    quickReplies: buildQuickReplies(business, intents, input.isFirstReply, specialist),
    source: 'openai',
  };
}

/**
 * Asks the model for a reply, validating its JSON and retrying once with a corrective message.
 * Throws InvalidModelOutputError when every attempt is invalid; network/API errors propagate as thrown by the SDK.
 */
export async function respondWithOpenAI(
  client: OpenAI,
  model: string,
  input: RespondInput,
  opts: OpenAIResponderOptions = {},
): Promise<AssistantResult> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 2);
  const messages = buildMessages(input);
  let lastError = 'no attempt made';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const completion = await client.chat.completions.create(
      { model, messages, response_format: ASSISTANT_OUTPUT_RESPONSE_FORMAT, temperature: 0.3 },
      { timeout: opts.timeoutMs ?? 20_000, maxRetries: opts.sdkMaxRetries ?? 0 },
    );
    const message = completion.choices[0]?.message;
    const parsed = message?.refusal
      ? { ok: false as const, error: `model refused: ${message.refusal.slice(0, 200)}` }
      : parseModelOutput(message?.content, input.business.country);
    if (parsed.ok) return applySafetyNet(input, parsed.value);
    lastError = parsed.error;
    // A user-role note (not system) because some OpenAI-compatible servers only accept one leading system message.
    messages.push(
      { role: 'assistant', content: message?.content ?? '' },
      {
        role: 'user',
        content: `[Automated format check, not from the customer] Your previous response was invalid: ${parsed.error}. Respond again with ONLY one JSON object matching the schema exactly.`,
      },
    );
  }
  throw new InvalidModelOutputError(maxAttempts, lastError);
}
