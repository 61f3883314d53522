/** Ids of the outreach records and workflows; pure, so workflow code imports them too. */

/** One OutreachWorkflow per prospect per campaign; its enrollment row has the same id. */
export const outreachWorkflowId = (campaignId: string, prospectId: string) => `outreach:${campaignId}:${prospectId}`;

/** One send per step of a workflow: the row id and the provider idempotency key. */
export const outreachSendId = (workflowId: string, step: number) => `${workflowId}:${step}`;

const SEND_ID = /^outreach:(cmp_[A-Za-z0-9_-]+):(prs_[A-Za-z0-9_-]+):(\d{1,3})$/;

export const parseOutreachSendId = (sendId: string) => {
  const m = SEND_ID.exec(sendId);
  if (!m) return undefined;
  const [, campaignId, prospectId, step] = m as unknown as [string, string, string, string];
  return { campaignId, prospectId, step: Number(step), workflowId: outreachWorkflowId(campaignId, prospectId) };
};
