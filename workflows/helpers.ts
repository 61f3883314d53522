/** Small deterministic helpers for workflow code. */

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
