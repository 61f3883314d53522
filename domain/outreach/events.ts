/**
 * What stops or marks a prospect's sequence, wherever it comes from (the opt-out link, a Resend webhook, staff):
 * the records are written here first, so they hold before anyone is answered; the caller then signals the
 * workflows this returns (and the suppression check before every send catches any it could not reach).
 */
import type { Models } from '../../db/models/index.js';
import type { KeyRing } from '../../lib/key-ring.js';
import { outreachWorkflowId, parseOutreachSendId } from './ids.js';
import { suppress, type SuppressionReason } from './suppression.js';

export type StopReason = 'opted-out' | 'replied' | 'bounced' | 'complained' | 'suppressed' | 'campaign-stopped' | 'rejected' | 'gone';

const STAMP: Partial<Record<StopReason, string>> = {
  'opted-out': 'optedOutAt',
  replied: 'repliedAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
};

/**
 * Stops every active enrollment of the prospect (all campaigns) and returns their workflow ids to signal. The
 * reply, opt-out or bounce is stamped on those enrollments, and on `origin` (the enrollment whose email it came
 * from) even if that one had already ended: the stats of a campaign count what happened in it.
 */
export const stopProspectEnrollments = async (models: Models, prospectId: string, reason: StopReason, at = new Date(), origin?: string) => {
  const active = (await models.OutreachEnrollment.find({ prospectId, status: 'active' }, { _id: 1 }).lean()).map((e) => e._id);
  const stamp = STAMP[reason];
  const stamped = origin ? [...active, origin] : active;
  if (stamp && stamped.length > 0)
    await models.OutreachEnrollment.updateMany({ _id: { $in: stamped }, [stamp]: { $exists: false } }, { $set: { [stamp]: at } });
  await models.OutreachEnrollment.updateMany(
    { _id: { $in: active }, status: 'active' },
    { $set: { status: 'stopped', stopReason: reason, endedAt: at } },
  );
  return active;
};

/** Suppresses the prospect's address (kept hashed for ever) and stops their sequences. */
export const suppressProspect = async (
  models: Models,
  ring: KeyRing,
  p: { prospectId: string; reason: SuppressionReason; stopReason: StopReason; addedBy?: string; origin?: string },
) => {
  const prospect = await models.OutreachProspect.findById(p.prospectId, { email: 1 }).lean();
  if (prospect) await suppress(models, ring, { kind: 'email', value: prospect.email, reason: p.reason, addedBy: p.addedBy });
  return stopProspectEnrollments(models, p.prospectId, p.stopReason, new Date(), p.origin);
};

/** The opt-out link of one send: idempotent, every campaign of the prospect stops. */
export const optOutBySend = async (models: Models, ring: KeyRing, sendId: string) => {
  const ids = parseOutreachSendId(sendId);
  if (!ids) return [];
  return suppressProspect(models, ring, {
    prospectId: ids.prospectId,
    reason: 'opt-out',
    stopReason: 'opted-out',
    addedBy: ids.campaignId,
  });
};

export const markEngaged = async (models: Models, prospectId: string, at = new Date()) => {
  await models.OutreachProspect.updateOne({ _id: prospectId, engagedAt: { $exists: false } }, { $set: { engagedAt: at } });
};

/** A reply (inbound webhook or staff's manual mark): the prospect engaged, their sequences stop. */
export const markReplied = async (models: Models, prospectId: string, at = new Date()) => {
  await markEngaged(models, prospectId, at);
  return stopProspectEnrollments(models, prospectId, 'replied', at);
};

/** An open pixel or click redirect: stamped once per send. */
export const markTracked = async (models: Models, sendId: string, what: 'opened' | 'clicked', at = new Date()) => {
  const field = what === 'opened' ? 'openedAt' : 'clickedAt';
  const send = await models.OutreachSend.findOneAndUpdate({ _id: sendId, [field]: { $exists: false } }, { $set: { [field]: at } }).lean();
  if (send) await markEngaged(models, send.prospectId, at);
};

/** A provider event about one of our emails (by the provider's email id). */
export const markDeliveryEvent = async (
  models: Models,
  ring: KeyRing,
  providerEmailId: string,
  event: 'delivered' | 'bounced' | 'complained',
  at = new Date(),
) => {
  const field = { delivered: 'deliveredAt', bounced: 'bouncedAt', complained: 'complainedAt' }[event];
  const send = await models.OutreachSend.findOneAndUpdate({ providerEmailId }, { $set: { [field]: at } }).lean();
  if (!send || event === 'delivered') return [];
  return suppressProspect(models, ring, {
    prospectId: send.prospectId,
    reason: event === 'bounced' ? 'bounce' : 'complaint',
    stopReason: event,
    addedBy: send.campaignId,
    origin: outreachWorkflowId(send.campaignId, send.prospectId),
  });
};
