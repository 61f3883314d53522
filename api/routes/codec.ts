/**
 * The remote codec endpoint for the Temporal Web UI and CLI: POST …/encode and …/decode with proto3-JSON
 * payloads, through the same EncryptionCodec the worker uses. Ops only (Bearer OPS_TOKEN, constant-time
 * check); disabled with 503 when OPS_TOKEN is unset. CORS answers the configured Temporal UI origin only.
 */
import type { Payload } from '@temporalio/common';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { codecUiKey } from '../../lib/codec-ui-key.js';
import type { Logger } from '../../lib/logger.js';
import { EncryptionCodec } from '../../temporal/codec.js';
import { isSameSecret, requireOpsToken } from '../auth/ops-token.js';
import { AppError, badRequest } from '../errors.js';
import { registerRoute } from '../openapi/registry.js';

const Base64 = z
  .string()
  .max(8_000_000)
  .regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64');
const CodecBodySchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).optional(), data: Base64.optional() })).max(10_000),
});
type JsonPayload = { metadata?: Record<string, string>; data?: string };

const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export const codecRouter = (deps: { config: Config; log: Logger }) => {
  const router = Router();
  const codec = new EncryptionCodec(deps.config.ENCRYPTION_KEY);
  const uiOrigin = new URL(deps.config.TEMPORAL_UI_URL).origin;
  const opsToken = deps.config.OPS_TOKEN;

  const cors: RequestHandler = (req, res, next) => {
    if (req.get('origin') === uiOrigin) {
      res.setHeader('Access-Control-Allow-Origin', uiOrigin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };

  const requireOps = requireOpsToken(opsToken, 'The codec endpoint');

  const handle = async (req: Request, res: Response, next: NextFunction) => {
    const op = req.params.op;
    if (op !== 'encode' && op !== 'decode') return next(new AppError(404, 'not-found', 'Not found', 'Use …/encode or …/decode.'));
    const parsed = CodecBodySchema.safeParse(req.body);
    if (!parsed.success) return next(badRequest('Expected { "payloads": [{ "metadata": { "<key>": "<base64>" }, "data": "<base64>" }] }.'));
    try {
      const payloads = parsed.data.payloads.map(toPayload);
      const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      res.setHeader('cache-control', 'no-store');
      res.json({ payloads: out.map(toJson) });
    } catch (err) {
      deps.log.warn({ op, err: (err as Error).message }, 'codec request failed');
      next(badRequest(`Could not ${op} the payloads: ${(err as Error).message}`));
    }
  };

  for (const op of ['encode', 'decode'] as const) {
    registerRoute({
      method: 'post',
      path: `/codec/${op}`,
      tags: ['Ops'],
      summary: `Temporal payload codec: ${op} (Bearer OPS_TOKEN; also /codec/{namespace}/${op})`,
      body: CodecBodySchema,
      responses: { 200: CodecBodySchema, 503: 'OPS_TOKEN is not set' },
    });
  }
  // `npm start` only: the dev-server UI has no way to send a token, so its codec URL carries a secret derived from
  // OPS_TOKEN (lib/codec-ui-key.ts). Development only; test and production always need the bearer token.
  const requireUiKey: RequestHandler = (req, _res, next) => {
    const expected = deps.config.NODE_ENV === 'development' && opsToken ? codecUiKey(opsToken) : undefined;
    const given = String(req.params.uiKey ?? '');
    if (!expected || !isSameSecret(given, expected))
      return next(new AppError(404, 'not-found', 'Not found', 'Use /codec/decode with Authorization: Bearer <OPS_TOKEN>.'));
    next();
  };

  router.options('/codec{/*rest}', cors);
  router.post('/codec/ui/:uiKey/:op', cors, requireUiKey, express.json({ limit: '8mb' }), handle);
  router.post('/codec{/:namespace}/:op', cors, requireOps, express.json({ limit: '8mb' }), handle);
  return router;
};
