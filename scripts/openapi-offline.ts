/**
 * The OpenAPI document without a server, MongoDB or Temporal: createApp with inert dependencies registers every
 * route (routers document themselves while the app is assembled and do no I/O until a request arrives), then
 * the document is built from the registry exactly as GET /openapi.json builds it.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createApp, type AppDeps } from '../api/app.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../api/openapi/document.js';
import { loadConfig } from '../config/load.js';
import { createModels } from '../db/models/index.js';
import { createLogger } from '../lib/logger.js';

export const openApiDocumentOffline = (serverUrl = 'http://127.0.0.1:3000'): OpenApiDocument => {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: 'mongodb://127.0.0.1:9/unused',
    ENCRYPTION_KEY: `doc:${randomBytes(32).toString('base64')}`,
    META_APP_ID: '1000000000000001',
    META_APP_SECRET: randomBytes(16).toString('hex'),
    META_VERIFY_TOKEN: randomBytes(8).toString('hex'),
  });
  // A connection that is never opened: models compile against it, nothing is sent.
  const connection = mongoose.createConnection();
  const inert = {} as never;
  const deps: AppDeps = {
    config,
    db: { connection, models: createModels(connection), close: async () => undefined },
    log: createLogger({ level: 'silent', name: 'openapi-offline' }),
    dispatcher: { temporal: inert } as unknown as AppDeps['dispatcher'],
    channelRouter: inert,
    metrics: inert,
    readiness: {},
  };
  createApp(deps);
  return buildOpenApiDocument({ serverUrl });
};
