/**
 * Per campaign and step: sent, delivered, opened, clicked, bounced and complained from the sends; replied and
 * opted out counted on the last step the prospect had been sent. Plain finds (FerretDB v1 has a thin aggregation).
 */
import type { Models } from '../../db/models/index.js';

export type StepStats = {
  step: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  optedOut: number;
  bounced: number;
  complained: number;
};

const empty = (step: number): StepStats => ({
  step,
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  optedOut: 0,
  bounced: 0,
  complained: 0,
});

export const campaignStats = async (models: Models, campaignId: string, stepCount: number) => {
  const steps = Array.from({ length: stepCount }, (_, i) => empty(i));
  const at = (i: number) => (steps[i] ??= empty(i));
  const sends = await models.OutreachSend.find(
    { campaignId },
    { step: 1, deliveredAt: 1, openedAt: 1, clickedAt: 1, bouncedAt: 1, complainedAt: 1 },
  ).lean();
  for (const s of sends) {
    const row = at(s.step);
    row.sent++;
    if (s.deliveredAt) row.delivered++;
    if (s.openedAt) row.opened++;
    if (s.clickedAt) row.clicked++;
    if (s.bouncedAt) row.bounced++;
    if (s.complainedAt) row.complained++;
  }
  const enrollments = await models.OutreachEnrollment.find(
    { campaignId },
    { status: 1, stopReason: 1, stepsSent: 1, repliedAt: 1, optedOutAt: 1 },
  ).lean();
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  for (const e of enrollments) {
    byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    if (e.stopReason) byReason[e.stopReason] = (byReason[e.stopReason] ?? 0) + 1;
    const last = Math.max(0, (e.stepsSent ?? 0) - 1);
    if (e.repliedAt) at(last).replied++;
    if (e.optedOutAt) at(last).optedOut++;
  }
  const { step: _step, ...zero } = empty(0);
  const total = steps.reduce(
    (t, s) => {
      for (const k of Object.keys(zero) as (keyof typeof zero)[]) t[k] += s[k];
      return t;
    },
    { ...zero },
  );
  return { campaignId, enrollments: byStatus, stopReasons: byReason, total, steps };
};
