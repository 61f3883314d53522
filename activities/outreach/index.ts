/**
 * The outreach activities: one step's send, with every check made immediately before it (the enrollment still
 * active, the campaign running, the address and its domain not suppressed in any campaign, the prospect's
 * business hours, a slot under the campaign's rate cap), and the enrollment's end. Expected outcomes (wait,
 * stopped, paused) are return values the workflow branches on.
 */
import { EmailError } from '../../integrations/email.js';
import { nextSendableAt } from '../../domain/outreach/business-hours.js';
import { composeOutreachEmail } from '../../domain/outreach/compose.js';
import type { StopReason } from '../../domain/outreach/events.js';
import { outreachSendId } from '../../domain/outreach/ids.js';
import { releaseSendSlot, reserveSendSlot } from '../../domain/outreach/send-slots.js';
import { suppressionOf } from '../../domain/outreach/suppression.js';
import { nowOf, type ActivityDeps } from '../deps.js';

export type OutreachStepInput = { workflowId: string; campaignId: string; prospectId: string; step: number };
export type OutreachStepResult =
  | { kind: 'sent'; sendId: string }
  | { kind: 'wait'; waitMs: number; why: 'business-hours' | 'rate-cap' }
  | { kind: 'paused' }
  | { kind: 'stopped'; reason: StopReason };

export type FinishOutreachInput = { workflowId: string; outcome: 'completed' | 'stopped'; reason?: StopReason; stepsSent: number };

const stopped = (reason: StopReason): OutreachStepResult => ({ kind: 'stopped', reason });

export const createOutreachActivities = (deps: ActivityDeps) => {
  const { models, keyRing } = deps;

  const stopEnrollment = (workflowId: string, reason: StopReason) =>
    models.OutreachEnrollment.updateOne(
      { _id: workflowId, status: 'active' },
      { $set: { status: 'stopped', stopReason: reason, endedAt: new Date() } },
    );

  return {
    async sendOutreachStep(i: OutreachStepInput): Promise<OutreachStepResult> {
      const sendId = outreachSendId(i.workflowId, i.step);
      const atMs = nowOf(deps).getTime();
      // A retry after the send was recorded: it went out once, that is enough.
      if (await models.OutreachSend.exists({ _id: sendId })) return { kind: 'sent', sendId };
      const enrollment = await models.OutreachEnrollment.findById(i.workflowId, { status: 1, stopReason: 1 }).lean();
      if (enrollment?.status === 'stopped') return stopped((enrollment.stopReason as StopReason | undefined) ?? 'campaign-stopped');
      const campaign = await models.OutreachCampaign.findById(i.campaignId).lean();
      if (!campaign || campaign.status === 'stopped') return stopped('campaign-stopped');
      if (campaign.status !== 'running') return { kind: 'paused' };
      const template = campaign.steps[i.step];
      if (!template) return stopped('campaign-stopped');
      const prospect = await models.OutreachProspect.findById(i.prospectId).lean();
      if (!prospect) return stopped('gone');
      const outreach = deps.outreach;
      if (!outreach?.email || !outreach.company.address) {
        deps.log.warn({ campaignId: i.campaignId }, 'outreach not sent: RESEND_API_KEY or COMPANY_ADDRESS is not set');
        await stopEnrollment(i.workflowId, 'rejected');
        return stopped('rejected');
      }
      if (await suppressionOf(models, keyRing, prospect.email)) {
        await stopEnrollment(i.workflowId, 'suppressed');
        return stopped('suppressed');
      }
      const opensAt = nextSendableAt(atMs, prospect.timezone, {
        startHour: campaign.businessHours?.startHour ?? 9,
        endHour: campaign.businessHours?.endHour ?? 17,
      });
      if (opensAt > atMs) return { kind: 'wait', waitMs: opensAt - atMs, why: 'business-hours' };
      const slot = await reserveSendSlot(models, {
        campaignId: i.campaignId,
        dailyCap: campaign.dailyCap,
        perMinute: campaign.perMinute,
        atMs: atMs,
      });
      if (slot.kind === 'wait') return { kind: 'wait', waitMs: slot.untilMs - atMs, why: 'rate-cap' };

      const email = composeOutreachEmail({
        sendId,
        prospect,
        campaign: { senderName: campaign.senderName, isTrackingEnabled: campaign.isTrackingEnabled ?? false },
        step: template,
        company: outreach.company,
        publicUrl: outreach.publicUrl,
        ring: keyRing,
      });
      let providerEmailId = '';
      try {
        providerEmailId = (await outreach.email.send(email)).id;
      } catch (err) {
        if (!(err instanceof EmailError) || err.kind === 'retryable') throw err;
        if (err.kind === 'rejected') {
          await releaseSendSlot(models, slot);
          deps.log.warn({ campaignId: i.campaignId, name: err.providerName }, 'outreach email refused by Resend');
          await stopEnrollment(i.workflowId, 'rejected');
          return stopped('rejected');
        }
        // already_sent: an earlier attempt went out with this key.
      }
      const sentAt = new Date(atMs);
      await models.OutreachSend.updateOne(
        { _id: sendId },
        {
          $setOnInsert: {
            campaignId: i.campaignId,
            prospectId: i.prospectId,
            step: i.step,
            sentAt,
            ...(providerEmailId ? { providerEmailId } : {}),
          },
        },
        { upsert: true },
      );
      await models.OutreachEnrollment.updateOne({ _id: i.workflowId }, { $set: { stepsSent: i.step + 1 } });
      await models.OutreachProspect.updateOne({ _id: i.prospectId }, { $set: { lastEmailedAt: sentAt } });
      return { kind: 'sent', sendId };
    },

    async finishOutreachEnrollment(i: FinishOutreachInput): Promise<void> {
      await models.OutreachEnrollment.updateOne(
        { _id: i.workflowId, status: 'active' },
        { $set: { status: i.outcome, stepsSent: i.stepsSent, endedAt: new Date(), ...(i.reason ? { stopReason: i.reason } : {}) } },
      );
    },
  };
};
