/**
 * How the API, the worker and the setup script reach Temporal: plain on the local dev server; TLS with an API key
 * or a client certificate on Temporal Cloud or a secured cluster. One function, so every process connects alike.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';

export type TemporalSecurityConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT_PATH' | 'TEMPORAL_TLS_KEY_PATH' | 'TEMPORAL_TLS_CA_PATH'
>;

type TlsOptions = { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
/** Accepted by both Connection.connect (client) and NativeConnection.connect (worker). */
export type TemporalConnectionOptions = { address: string; tls?: TlsOptions | true; apiKey?: string };

const readPem = (variable: string, path: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Point it at a readable PEM file.`,
      { cause: err },
    );
  }
};

export const temporalConnectionOptions = (config: TemporalSecurityConfig): TemporalConnectionOptions => {
  const tls: TlsOptions = {};
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    tls.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT_PATH', config.TEMPORAL_TLS_CERT_PATH),
      key: readPem('TEMPORAL_TLS_KEY_PATH', config.TEMPORAL_TLS_KEY_PATH),
    };
  }
  if (config.TEMPORAL_TLS_CA_PATH) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_PATH', config.TEMPORAL_TLS_CA_PATH);
  const isTls = config.TEMPORAL_TLS || Boolean(config.TEMPORAL_API_KEY) || Object.keys(tls).length > 0;
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(isTls ? { tls: Object.keys(tls).length > 0 ? tls : true } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
};
