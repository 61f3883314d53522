/**
 * At-most-once sending of a reply's chunks. The Meta Send API takes no idempotency key, so a send whose outcome
 * nobody saw (a timeout or reset after the request went out, a worker killed mid-call) must never be repeated:
 * each chunk is claimed ("attempted") before the call, and a claim found without its outcome means "unknown".
 * Unknown chunks go to a person (the business is alerted) instead of being sent again.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { updateByIdIf } from '../../db/id-conditional-update.js';
import type { ActivityDeps } from '../deps.js';
import { Failure } from '../../domain/failures.js';

/** How long after its Graph timeout a claiming attempt may still record the outcome (a DB write, a paused loop). */
export const CLAIM_GRACE_MS = 5_000;

export type UnknownDelivery = { sent: false; why: 'delivery_unknown'; providerMessageIds: string[] };
type Claimed = {
  _id: string;
  conversationId: string;
  businessId: string;
  status: string;
  providerMessageIds?: string[] | null;
  attempt?: { token: string; at: Date } | null;
};

/**
 * When the current activity attempt is cut off by its start-to-close timeout, so no chunk is claimed that the
 * attempt could not finish before its own retry starts (the retry would find the claim and call it unknown).
 * Undefined outside an activity (tests calling the functions directly).
 */
export const attemptDeadline = (): number | undefined => {
  try {
    const { startToCloseTimeoutMs, currentAttemptScheduledTimestampMs } = Context.current().info;
    return startToCloseTimeoutMs > 0 ? currentAttemptScheduledTimestampMs + startToCloseTimeoutMs : undefined;
  } catch {
    return undefined;
  }
};

export const createDeliveryClaims = (deps: ActivityDeps) => {
  const { models } = deps;
  /** One Graph call at most, plus the time to store what it answered. */
  const claimBudgetMs = deps.graph.timeoutMs + CLAIM_GRACE_MS;

  /** The "attempted" marker, written before the Send API call; fails when anything else holds the message. */
  const claim = async (messageId: string, chunk: number, token: string) =>
    (
      await updateByIdIf(
        models.Message,
        messageId,
        { status: { $in: ['pending', 'failed'] }, sentChunks: chunk, attempt: { $exists: false } },
        { $set: { attempt: { chunk, token, at: new Date() } } },
      )
    ).modifiedCount === 1;

  /** Records a confirmed chunk (and, for the last one, whatever `extra` sets), only while this attempt holds it. */
  const recordSent = async (messageId: string, token: string, set: Record<string, unknown>) =>
    (await updateByIdIf(models.Message, messageId, { 'attempt.token': token }, { $set: set, $unset: { attempt: 1 } })).modifiedCount === 1;

  /** Meta refused the chunk, or it never left: nothing went out, the next attempt may send it. */
  const release = (messageId: string, token: string) =>
    updateByIdIf(models.Message, messageId, { 'attempt.token': token }, { $unset: { attempt: 1 } });

  /**
   * Marks the message for a person and tells the business; the marker stays as the record of which chunk.
   * Idempotent: the alert id is derived from the message (hashed, so no contact id reaches the email provider).
   */
  const markUnknown = async (
    m: Pick<Claimed, '_id' | 'conversationId' | 'businessId'>,
    token: string,
    ids: string[],
  ): Promise<UnknownDelivery> => {
    await updateByIdIf(
      models.Message,
      m._id,
      { 'attempt.token': token },
      { $set: { status: 'delivery_unknown', statusReason: 'outcome_unknown', providerMessageIds: ids } },
    );
    await models.Conversation.updateOne({ _id: m.conversationId }, { $set: { needsReview: true, reviewReason: 'delivery_unknown' } });
    const alertId = `delivery_unknown:${createHash('sha256').update(m._id).digest('hex').slice(0, 32)}`;
    await models.BusinessAlert.updateOne(
      { _id: alertId },
      {
        $setOnInsert: {
          businessId: m.businessId,
          kind: 'delivery_unknown',
          message:
            'Meta did not confirm whether a reply reached a customer, so LuxLeads will not send it again. Open the conversation marked for review and check the thread in Meta Business Suite; resend it yourself if it is missing.',
        },
      },
      { upsert: true },
    );
    deps.log.warn({ conversationId: m.conversationId }, 'reply delivery outcome unknown; not resent, business alerted');
    return { sent: false, why: 'delivery_unknown', providerMessageIds: ids };
  };

  /**
   * The claim was refused: another attempt holds, finished or moved the message on. A claim younger than one Graph
   * call may still be in flight, so wait for it (retry); an older one has lost its outcome, so the chunk is unknown.
   */
  const settleForeignClaim = async (messageId: string): Promise<{ sent: boolean; why?: string; providerMessageIds: string[] }> => {
    const m = (await models.Message.findById(messageId, {
      conversationId: 1,
      businessId: 1,
      status: 1,
      statusReason: 1,
      sentChunks: 1,
      providerMessageIds: 1,
      attempt: 1,
    }).lean()) as (Claimed & { statusReason?: string | null }) | null;
    if (!m) throw ApplicationFailure.nonRetryable('reply no longer exists', Failure.NotFound);
    const ids = m.providerMessageIds ?? [];
    if (m.status === 'sent') return { sent: true, providerMessageIds: ids };
    if (m.status !== 'pending' && m.status !== 'failed') return { sent: false, why: m.statusReason ?? m.status, providerMessageIds: ids };
    const age = m.attempt ? Date.now() - new Date(m.attempt.at).getTime() : 0;
    if (m.attempt && age >= claimBudgetMs) return markUnknown(m, m.attempt.token, ids);
    // Held by a live attempt, or another attempt sent chunks meanwhile: the retry resumes from what is stored.
    throw ApplicationFailure.create({
      message: 'another attempt is sending this reply',
      type: Failure.DeliveryInFlight,
      nextRetryDelay: Math.max(1_000, claimBudgetMs - age),
    });
  };

  /** True when this attempt has too little time left to make one more Graph call and record it. */
  const isOutOfTime = (deadline: number | undefined) => deadline !== undefined && deadline - Date.now() < claimBudgetMs;

  return { claim, recordSent, release, markUnknown, settleForeignClaim, isOutOfTime };
};
