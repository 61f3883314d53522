/** Starts the background sweeps once per namespace; every worker calls these at start and joins the running ones. */
import type { Client } from '@temporalio/client';
import { NOTIFICATION_RETRY_SWEEP_WORKFLOW_ID, notificationRetrySweepWorkflow } from '../workflows/notification-retry-sweep.js';
import { RETENTION_SWEEP_WORKFLOW_ID, retentionSweepWorkflow } from '../workflows/retention-sweep.js';

export const ensureRetentionSweep = async (client: Client, taskQueue: string, retentionDays: number, historyRetentionHours: number) => {
  const handle = await client.workflow.start(retentionSweepWorkflow, {
    workflowId: RETENTION_SWEEP_WORKFLOW_ID,
    taskQueue,
    args: [{ retentionDays, historyRetentionHours }],
    // Idempotent: a second worker (or a restart) finds the running sweep and leaves it be.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.workflowId;
};

export const ensureNotificationRetrySweep = async (client: Client, taskQueue: string) => {
  const handle = await client.workflow.start(notificationRetrySweepWorkflow, {
    workflowId: NOTIFICATION_RETRY_SWEEP_WORKFLOW_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.workflowId;
};
