// Public surface of the reply-generation brain.
export * from './types.js';
export { respond, safeFallbackReply, type RespondDeps } from './respond.js';
export { respondOffline } from './offline-responder.js';
export { respondWithOpenAI, InvalidModelOutputError, type OpenAIResponderOptions } from './openai-responder.js';
export { buildMessages, buildSystemPrompt } from './prompt.js';
export { openingStatus, describeHours, type OpeningStatus, type NextOpening } from './working-hours.js';
export {
  classifyEnquiry,
  detectHumanRequest,
  detectDeletionRequest,
  detectStop,
  detectBookingIntent,
  detectPricingQuestion,
  detectSpecialist,
  type EnquiryClassification,
} from './classify.js';
export { extractName, extractPhone, extractEmail, extractLeadFields, normalisePhone, normaliseEmail, summariseEnquiry } from './extract.js';
export { AssistantOutputSchema, ASSISTANT_OUTPUT_RESPONSE_FORMAT, parseModelOutput, type AssistantOutput } from './result-schema.js';
export { emergencyNumber } from './countries.js';
