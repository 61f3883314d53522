/** Connects a Temporal client with the shared encrypted data converter. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { temporalConnectionOptions, type TemporalSecurityConfig } from './connection-options.js';
import { getDataConverter } from './data-converter.js';

export type TemporalClientHandle = { client: Client; connection: Connection; taskQueue: string; close: () => Promise<void> };

export const connectTemporalClient = async (
  config: TemporalSecurityConfig & Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'ENCRYPTION_KEY'>,
  opts: { connectTimeoutMs?: number } = {},
): Promise<TemporalClientHandle> => {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: opts.connectTimeoutMs ?? 10_000 });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: getDataConverter(config.ENCRYPTION_KEY),
  });
  return { client, connection, taskQueue: config.TEMPORAL_TASK_QUEUE, close: () => connection.close() };
};

/**
 * A readiness ping with its own deadline: without one, a ping sent while Temporal is down keeps retrying in the
 * gRPC client for half a minute after /readyz has answered, and fails loudly if the connection closes meanwhile.
 */
export const pingTemporal = async (connection: Connection, timeoutMs = 2_000): Promise<void> => {
  await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
};
