/**
 * The OpenAI client, built from config with its base URL (OPENAI_BASE_URL), so the sandbox, the tests and the
 * benchmarks aim the real `openai` library at a fake. Without OPENAI_API_KEY it is the disabled client: replies
 * then come from the offline responder.
 */
import OpenAI from 'openai';
import type { Config } from '../config/schema.js';

export type OpenAIConfig = Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OPENAI_TIMEOUT_MS'>;

export type OpenAIClient = { isEnabled: true; client: OpenAI; model: string; timeoutMs: number } | { isEnabled: false };

export const DISABLED_OPENAI: OpenAIClient = { isEnabled: false };

export const createOpenAIClient = (config: OpenAIConfig): OpenAIClient =>
  config.OPENAI_API_KEY
    ? {
        isEnabled: true,
        // One retry inside the SDK; after that the reply falls back to the offline responder.
        client: new OpenAI({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          timeout: config.OPENAI_TIMEOUT_MS,
          maxRetries: 1,
        }),
        model: config.OPENAI_MODEL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
      }
    : DISABLED_OPENAI;
