/** A valid structured answer from the model (the shape ai/result-schema.ts demands), for fake OpenAI responders. */
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
