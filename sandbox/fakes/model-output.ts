/** A valid structured answer from the model (the shape ai/result-schema.ts demands), for fake OpenAI responders: the one definition. */
import type { AssistantOutput } from '../../ai/result-schema.js';

export const modelOutput = (
  o: Partial<Omit<AssistantOutput, 'lead'>> & { lead?: Partial<AssistantOutput['lead']> } = {},
): AssistantOutput => ({
  reply: 'Happy to help!',
  enquiryType: 'general_question',
  urgency: 'normal',
  specialist: 'none',
  needsHuman: false,
  humanReason: null,
  wantsHuman: false,
  wantsBooking: false,
  wantsDeletion: false,
  wantsStop: false,
  ...o,
  lead: { name: null, phone: null, email: null, enquiry: null, ...o.lead },
});

/** Marks replies that really came from the (fake) model, as opposed to the offline fallback. */
export const MODEL_REPLY_MARK = '(model reply)';

/** A reply the fake OpenAI gives in the sandbox and the benchmarks, so the OpenAI path succeeds end to end. */
export const sandboxReply = () =>
  modelOutput({
    reply: `Thanks for getting in touch! I'm the automated assistant here and I can help with appointments and prices. ${MODEL_REPLY_MARK}`,
  });
