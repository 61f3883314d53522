/** Starts a business's token health workflow unless it is already running (connecting twice changes nothing). */
import type { Client } from '@temporalio/client';
import { tokenHealthWorkflow, tokenHealthWorkflowId } from '../../workflows/token-health.js';

export const tokenHealthStarter = (temporal: { client: Client; taskQueue: string }) => async (businessId: string) => {
  await temporal.client.workflow.start(tokenHealthWorkflow, {
    workflowId: tokenHealthWorkflowId(businessId),
    taskQueue: temporal.taskQueue,
    args: [{ businessId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
};
