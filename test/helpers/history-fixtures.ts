/**
 * Recorded workflow histories, replayed against the current bundle on every run so a change that would break
 * running workflows fails here (after the first deploy such changes ship behind patched(): docs/operations.md,
 * "Changing workflow code after the first deploy"). Payloads in the fixtures are encrypted with this test-only key,
 * never a real one.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'histories');
export const FIXTURE_ENCRYPTION_KEY = 'fixture:' + Buffer.alloc(32, 7).toString('base64');

export const saveHistory = async (name: string, handle: WorkflowHandle) => {
  const history = await handle.fetchHistory();
  writeFileSync(
    join(FIXTURE_DIR, `${name}.json`),
    JSON.stringify({ workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1),
  );
};

export const loadHistories = () =>
  readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, ...(JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as { workflowId: string; history: unknown }) }));
