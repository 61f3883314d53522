/** Starts the daily retention sweep once per namespace; every worker calls this at start and joins the running one. */
import type { Client } from '@temporalio/client';
import { RETENTION_SWEEP_WORKFLOW_ID, retentionSweepWorkflow } from '../workflows/retention-sweep.js';

export const ensureRetentionSweep = async (client: Client, taskQueue: string, retentionDays: number) => {
  const handle = await client.workflow.start(retentionSweepWorkflow, {
    workflowId: RETENTION_SWEEP_WORKFLOW_ID,
    taskQueue,
    args: [{ retentionDays }],
    // Idempotent: a second worker (or a restart) finds the running sweep and leaves it be.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.workflowId;
};
