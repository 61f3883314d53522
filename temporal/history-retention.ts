/**
 * How long the Temporal namespace keeps closed workflow histories. A conversation's closed history still holds its
 * messages (encrypted), so the namespace must not keep it past the privacy promise: conversations are purged
 * TEMPORAL_HISTORY_RETENTION_HOURS before CONVERSATION_RETENTION_DAYS, and the namespace must keep closed histories
 * no longer than that. Kept out of workflow code: it calls the server.
 */
import type { Connection } from '@temporalio/client';
import type Long from 'long';
import { HOUR_MS, SECOND_MS } from '../lib/durations.js';

export class HistoryRetentionTooLongError extends Error {
  override name = 'HistoryRetentionTooLongError';
}

export type HistoryRetentionCheck = { namespace: string; hoursBefore: number; hours: number; isUpdated: boolean };

const hoursOf = (ttl: { seconds?: unknown } | null | undefined) => (Number(ttl?.seconds ?? 0) * SECOND_MS) / HOUR_MS;

/**
 * Reads the namespace's retention; when it keeps histories longer than `maxHours`, shortens it if `mayUpdate`
 * (the embedded dev server, the compose set-up) or throws with the command to run (production: the worker's
 * credentials should not administer the namespace, and a silent change there would surprise its operators).
 */
export const ensureHistoryRetention = async (
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  maxHours: number,
  opts: { mayUpdate: boolean },
): Promise<HistoryRetentionCheck> => {
  const described = await connection.workflowService.describeNamespace({ namespace });
  const hoursBefore = hoursOf(described.config?.workflowExecutionRetentionTtl);
  if (hoursBefore > 0 && hoursBefore <= maxHours) return { namespace, hoursBefore, hours: hoursBefore, isUpdated: false };
  if (!opts.mayUpdate) {
    throw new HistoryRetentionTooLongError(
      `Temporal namespace "${namespace}" keeps closed workflow histories for ${hoursBefore} h, longer than ` +
        `TEMPORAL_HISTORY_RETENTION_HOURS=${maxHours}: conversations would outlive the privacy policy there. Run ` +
        `\`temporal operator namespace update --namespace ${namespace} --retention ${maxHours}h\` (Temporal Cloud: set the ` +
        `namespace's retention in the Cloud UI), or raise TEMPORAL_HISTORY_RETENTION_HOURS, then restart.`,
    );
  }
  await connection.workflowService.updateNamespace({
    namespace,
    // int64 fields are typed as Long; protobufjs encodes a plain number just the same.
    config: { workflowExecutionRetentionTtl: { seconds: Math.round((maxHours * HOUR_MS) / SECOND_MS) as unknown as Long } },
    updateInfo: {},
  });
  return { namespace, hoursBefore, hours: maxHours, isUpdated: true };
};
