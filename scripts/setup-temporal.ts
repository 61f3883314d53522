/**
 * One-shot set-up of a Temporal namespace for LuxLeads (docker compose's `temporal-setup` service): waits for the
 * server to answer, then registers the application's search attributes (temporal/search-attributes.ts) and sets how
 * long closed histories are kept (TEMPORAL_HISTORY_RETENTION_HOURS, temporal/history-retention.ts).
 * Idempotent; exits 0 when done, 1 when the server never answered.
 */
import { Connection } from '@temporalio/client';
import { exitOnConfigError, loadConfig } from '../config/load.js';
import { ensureHistoryRetention } from '../temporal/history-retention.js';
import { registerSearchAttributes } from '../temporal/register-search-attributes.js';
import { ALL_SEARCH_ATTRIBUTES } from '../temporal/search-attributes.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';

const ATTEMPTS = 90;

const main = async () => {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return exitOnConfigError(err);
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 5_000 });
      await connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
      await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
      const retention = await ensureHistoryRetention(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_HISTORY_RETENTION_HOURS, {
        mayUpdate: true,
      });
      process.stdout.write(
        `Temporal ${config.TEMPORAL_ADDRESS} namespace ${config.TEMPORAL_NAMESPACE}: search attributes ${ALL_SEARCH_ATTRIBUTES.map((a) => a.name).join(', ')} present; closed histories kept ${retention.hours} h\n`,
      );
      return;
    } catch (err) {
      process.stdout.write(
        `waiting for Temporal at ${config.TEMPORAL_ADDRESS} (${attempt}/${ATTEMPTS}): ${(err as Error).message.split('\n')[0]}\n`,
      );
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  process.stderr.write(`Temporal at ${config.TEMPORAL_ADDRESS} did not answer; check the temporal service and TEMPORAL_ADDRESS.\n`);
  process.exit(1);
};

void main();
