/** The environment a child API or worker process needs to join a test harness: same database, queue, keys and fakes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyRing } from '../../lib/crypto.js';
import { workflowBundle } from './bundle.js';
import { TEST_APP_ID, TEST_APP_SECRET, TEST_VERIFY_TOKEN, type Harness } from './harness.js';

export const keyRingString = (ring: KeyRing) => ring.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

export const childEnv = (h: Harness, extra: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  MONGODB_URI: h.config.MONGODB_URI,
  TEMPORAL_ADDRESS: h.config.TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: h.config.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: h.taskQueue,
  ENCRYPTION_KEY: keyRingString(h.config.ENCRYPTION_KEY),
  META_APP_ID: TEST_APP_ID,
  META_APP_SECRET: TEST_APP_SECRET,
  META_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
  META_GRAPH_URL: h.graph.url,
  ...(h.openai
    ? { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${h.openai.url}/v1`, OPENAI_TIMEOUT_MS: String(h.config.OPENAI_TIMEOUT_MS) }
    : {}),
  CONVERSATION_BURST_WINDOW_MS: String(h.config.CONVERSATION_BURST_WINDOW_MS),
  SEED_DEMO: 'false',
  ...extra,
});

/** Writes this file's workflow bundle to `dir` so child workers start without webpack (WORKER_WORKFLOW_BUNDLE). */
export const writeWorkflowBundle = async (dir: string): Promise<string> => {
  const file = join(dir, 'workflow-bundle.js');
  writeFileSync(file, (await workflowBundle()).code);
  return file;
};
