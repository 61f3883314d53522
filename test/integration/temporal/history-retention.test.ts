import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHistoryRetention, HistoryRetentionTooLongError } from '../../../temporal/history-retention.js';
import { temporalAddress } from '../../helpers/services.js';

describe('the namespace keeps closed histories no longer than TEMPORAL_HISTORY_RETENTION_HOURS', () => {
  let connection: Connection;
  let namespace: string;
  const retentionHours = async () =>
    Number((await connection.workflowService.describeNamespace({ namespace })).config?.workflowExecutionRetentionTtl?.seconds) / 3600;

  beforeAll(async () => {
    connection = await Connection.connect({ address: temporalAddress() });
    // A namespace of its own, created the way a cluster's default often is: keeping histories for three days.
    namespace = `retention-${randomUUID().slice(0, 8)}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: (72 * 3600) as never } });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('refuses a namespace that keeps them longer, naming the command to run, and changes nothing', async () => {
    const refused = ensureHistoryRetention(connection, namespace, 24, { mayUpdate: false });
    await expect(refused).rejects.toBeInstanceOf(HistoryRetentionTooLongError);
    await expect(refused).rejects.toThrow(`temporal operator namespace update --namespace ${namespace} --retention 24h`);
    expect(await retentionHours()).toBe(72);
  });

  it('shortens it where it may (dev server, compose set-up), and leaves a short enough one alone', async () => {
    expect(await ensureHistoryRetention(connection, namespace, 24, { mayUpdate: true })).toEqual({
      namespace,
      hoursBefore: 72,
      hours: 24,
      isUpdated: true,
    });
    expect(await retentionHours()).toBe(24);
    expect(await ensureHistoryRetention(connection, namespace, 48, { mayUpdate: false })).toMatchObject({ hours: 24, isUpdated: false });
  });
});
