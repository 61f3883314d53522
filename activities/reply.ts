/** Reply generation: this business's profile and this thread's transcript in, a validated AssistantResult out. */
import { respond } from '../ai/respond.js';
import type { AssistantResult } from '../ai/types.js';
import { ApplicationFailure } from '@temporalio/activity';
import { loadBusiness, toBusinessProfile } from './business-profile.js';
import { nowOf, type ActivityDeps } from './deps.js';
import { Failure } from './failures.js';
import { loadTranscript } from './transcript.js';

export const createReplyActivities = (deps: ActivityDeps) => ({
  async generateReply(input: { conversationId: string; isFirstReply: boolean }): Promise<AssistantResult> {
    const conv = await deps.models.Conversation.findById(input.conversationId).lean();
    if (!conv) throw ApplicationFailure.nonRetryable(`conversation ${input.conversationId} not found`, Failure.NotFound);
    const business = toBusinessProfile(await loadBusiness(deps.models, conv.businessId));
    const transcript = await loadTranscript(deps.models, input.conversationId);
    const result = await respond(
      { business, transcript, now: nowOf(deps), isFirstReply: input.isFirstReply, channel: conv.channel as 'messenger' | 'instagram' | 'web' },
      { openai: deps.openai },
    );
    deps.log.info({ conversationId: input.conversationId, source: result.source, urgency: result.urgency, specialist: result.specialist }, 'reply generated');
    return result;
  },
});
