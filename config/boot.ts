/** What every entry point does first: parse config (or exit naming the bad variables) and open a redacting logger. */
import { createLogger, type Logger } from '../lib/logger.js';
import { describeDisabledIntegrations, exitOnConfigError, loadConfig } from './load.js';
import { SECRET_KEYS, type Config } from './schema.js';
import { plaintextConnectionWarnings } from './transport.js';

/**
 * The strings the logger must mask: each secret setting as it would appear in text. The key ring is parsed
 * into objects, so it is listed key by key (base64 and hex), never as "[object Object]".
 */
export const secretStringsOf = (config: Config): string[] =>
  SECRET_KEYS.flatMap((k) => {
    const value = config[k];
    if (Array.isArray(value))
      return value.flatMap((entry: { key: Buffer }) => [
        entry.key.toString('base64'),
        entry.key.toString('base64url'),
        entry.key.toString('hex'),
      ]);
    return typeof value === 'string' ? [value] : [];
  });

export const bootProcess = (name: string): { config: Config; log: Logger } => {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return exitOnConfigError(err);
  }
  const log = createLogger({ level: config.LOG_LEVEL, name, secrets: secretStringsOf(config) });
  for (const line of describeDisabledIntegrations(config)) log.warn(line);
  for (const line of plaintextConnectionWarnings(config)) log.warn({ security: true }, line);
  return { config, log };
};
