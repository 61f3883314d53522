/** Everything activities need, handed in by the worker (real clients) or by tests (real clients aimed at fakes). */
import type OpenAI from 'openai';
import type { Models } from '../db/models/index.js';
import type { MetaGraphClient } from '../integrations/meta-graph.js';
import type { KeyRing } from '../lib/crypto.js';
import type { Logger } from '../lib/logger.js';

export type ActivityDeps = {
  models: Models;
  log: Logger;
  graph: MetaGraphClient;
  openai?: { client: OpenAI; model: string; timeoutMs?: number };
  keyRing: KeyRing;
  /** Current time; tests with skipped time pass the environment's clock. */
  now?: () => Date;
};

export const nowOf = (deps: ActivityDeps) => (deps.now ? deps.now() : new Date());
