/**
 * The billing check on the reply path, run before the model is asked: one read of the billing record (and of the
 * thread's usage mark), never a workflow query. A paused or ended account stays silent (the lead is still kept
 * and the owner notified); a conversation past the plan's monthly limit gets a polite handover instead of silence.
 * Without Stripe keys nothing is read: the unlimited local plan.
 */
import { Context } from '@temporalio/activity';
import { extractLeadFields } from '../../ai/extract.js';
import type { AssistantResult, BusinessProfile, TranscriptMessage } from '../../ai/types.js';
import { admitConversation, ensureBillingRecord } from '../../domain/billing-records.js';
import { billingWorkflowId, serviceVerdict, USAGE_ALERT_SIGNAL, usagePeriodOf, type UsageAlert } from '../../domain/billing.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import { nowOf, type ActivityDeps } from '../deps.js';

const HANDOVER: Record<string, (business: string) => string> = {
  en: (b) => `Thanks for your message! A member of the ${b} team will reply to you here personally as soon as they can.`,
  es: (b) => `¡Gracias por tu mensaje! Una persona del equipo de ${b} te responderá aquí personalmente lo antes posible.`,
  fr: (b) => `Merci pour votre message ! Une personne de l’équipe ${b} vous répondra ici personnellement dès que possible.`,
  de: (b) => `Danke für Ihre Nachricht! Jemand aus dem Team von ${b} antwortet Ihnen hier persönlich, so bald wie möglich.`,
};
export const billingHandoverText = (business: Pick<BusinessProfile, 'name' | 'language'>) =>
  (HANDOVER[business.language.slice(0, 2)] ?? HANDOVER.en!)(business.name);

const standIn = (reply: string, lead: AssistantResult['lead'], wantsHuman: boolean): AssistantResult => ({
  reply,
  lead,
  enquiryType: 'other',
  urgency: 'normal',
  specialist: 'none',
  needsHuman: wantsHuman,
  ...(wantsHuman ? { humanReason: 'requested' as const } : {}),
  // A person takes over: the thread pauses for them and the owner gets the lead as a "wants a person" alert.
  intents: { wantsHuman, wantsDeletion: false, wantsStop: false, wantsBooking: false },
  quickReplies: [],
  source: 'fallback',
});

/** The Temporal client: the one in deps, else the worker's own (inside an activity). */
const clientOf = (deps: ActivityDeps) => {
  if (deps.temporal) return deps.temporal.client;
  try {
    return Context.current().client;
  } catch {
    return undefined;
  }
};

/** How long this worker remembers that a conversation is counted for the month (a mark that never goes away). */
const ADMITTED_TTL_MS = 60 * 60_000;

export const createBillingReplyGate = (deps: ActivityDeps) => {
  // Conversations already counted this month: their next replies skip the usage-mark read (the answer cannot change).
  const admitted = createTtlCache<true>(10_000);
  const tellWorkflow = async (alert: UsageAlert, businessId: string) => {
    try {
      await clientOf(deps)?.workflow.getHandle(billingWorkflowId(businessId)).signal(USAGE_ALERT_SIGNAL, alert);
    } catch (err) {
      // The reply must not wait on billing email: the count is stored, only this alert is lost.
      deps.log.warn({ businessId, percent: alert.percent, err: (err as Error).message }, 'usage alert not handed to the billing workflow');
    }
  };

  /** A result to use instead of asking the model, or undefined to answer normally. */
  return async (
    conv: { _id: string; businessId: string },
    business: BusinessProfile,
    transcript: TranscriptMessage[],
  ): Promise<AssistantResult | undefined> => {
    if (!deps.billing) return undefined;
    const now = nowOf(deps).getTime();
    // Created on first use, so a trial ends on time even for a business whose BillingWorkflow has not started yet.
    const record = await ensureBillingRecord(deps.models, { businessId: conv.businessId, isStripeConfigured: true, now });
    const verdict = serviceVerdict(record ?? null, now);
    if (!verdict.canReply) return standIn('', extractLeadFields(transcript, business.country), false);
    const limit = verdict.limits.conversationsPerMonth;
    const admittedKey = `${conv._id}|${usagePeriodOf(now)}`;
    if (admitted.has(admittedKey)) return undefined;
    const admission = await admitConversation(deps.models, { businessId: conv.businessId, conversationId: conv._id, limit, now });
    if (!admission.isAllowed) {
      deps.log.info({ businessId: conv.businessId, used: admission.used, limit }, 'monthly conversation limit reached: handover');
      return standIn(billingHandoverText(business), extractLeadFields(transcript, business.country), true);
    }
    admitted.set(admittedKey, true, ADMITTED_TTL_MS);
    if (admission.isNewlyCounted && admission.alert && limit !== null)
      await tellWorkflow({ period: usagePeriodOf(now), percent: admission.alert, used: admission.used ?? limit, limit }, conv.businessId);
    return undefined;
  };
};
