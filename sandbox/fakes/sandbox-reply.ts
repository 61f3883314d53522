/** A reply the fake OpenAI can give that passes our model-output schema, so the OpenAI path succeeds end to end. */
import { modelOutput } from './model-output.js';

/** Marks replies that really came from the (fake) model, as opposed to the offline fallback. */
export const MODEL_REPLY_MARK = '(model reply)';

export const sandboxReply = () =>
  modelOutput({
    reply: `Thanks for getting in touch! I'm the automated assistant here and I can help with appointments and prices. ${MODEL_REPLY_MARK}`,
  });
