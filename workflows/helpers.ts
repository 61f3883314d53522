/** Small deterministic helpers for workflow code. */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, type ChildWorkflowOptions, type WithWorkflowArgs, type Workflow } from '@temporalio/workflow';

/** Keeps the newest ids only, so dedup state stays bounded across continue-as-new. */
export const rememberIds = (known: string[], added: string[], max: number): string[] => {
  const merged = [...known, ...added.filter((id) => !known.includes(id))];
  return merged.length > max ? merged.slice(merged.length - max) : merged;
};

/**
 * Workflow time. Inside the workflow sandbox Date is replaced by the deterministic time of the
 * current workflow task (and by skipped time in tests), so this is replay-safe.
 */
// eslint-disable-next-line no-restricted-properties
export const workflowNow = (): number => Date.now();

/**
 * Starts a child that outlives this workflow (ABANDON: a parent that ends or continues as new leaves it running).
 * Its id is deterministic, so a second start for the same thing (a retried step, a redelivered event, another
 * parent) finds it already started, which counts as done. Returns whether this call started it.
 */
export const startAbandonedChild = async <T extends Workflow>(
  workflow: T,
  options: WithWorkflowArgs<T, Omit<ChildWorkflowOptions, 'typeInfo' | 'parentClosePolicy'>>,
): Promise<boolean> => {
  try {
    type StartOptions = WithWorkflowArgs<T, Omit<ChildWorkflowOptions, 'typeInfo'> & { typeInfo?: never }>;
    await startChild(workflow, { ...options, parentClosePolicy: ParentClosePolicy.ABANDON } as StartOptions);
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
};
