/** What every entry point does first: parse config (or exit naming the bad variables) and open a redacting logger. */
import { createLogger, type Logger } from '../lib/logger.js';
import { describeDisabledIntegrations, exitOnConfigError, loadConfig } from './load.js';
import { SECRET_KEYS, type Config } from './schema.js';

export const bootProcess = (name: string): { config: Config; log: Logger } => {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return exitOnConfigError(err);
  }
  const log = createLogger({ level: config.LOG_LEVEL, name, secrets: SECRET_KEYS.map((k) => String(config[k] ?? '')) });
  for (const line of describeDisabledIntegrations(config)) log.warn(line);
  return { config, log };
};
