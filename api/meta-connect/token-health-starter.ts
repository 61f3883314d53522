/** Starts a business's token health workflow unless it is already running (connecting twice changes nothing). */
import { withCallDeadline, type TemporalTarget } from '../../temporal/deadline.js';
import { tokenHealthWorkflow, tokenHealthWorkflowId } from '../../workflows/token-health.js';

export const tokenHealthStarter = (temporal: TemporalTarget) => async (businessId: string) => {
  await withCallDeadline(temporal, () =>
    temporal.client.workflow.start(tokenHealthWorkflow, {
      workflowId: tokenHealthWorkflowId(businessId),
      taskQueue: temporal.taskQueue,
      args: [{ businessId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
};
