/**
 * The remote codec endpoint for the Temporal Web UI and CLI: POST …/encode and …/decode with proto3-JSON
 * payloads, through the same EncryptionCodec the worker uses. Ops only (Bearer OPS_TOKEN, constant-time
 * check); disabled with 503 when OPS_TOKEN is unset. CORS answers the configured Temporal UI origin only.
 */
import type { Payload } from '@temporalio/common';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { codecUiKey } from '../../lib/codec-ui-key.js';
import type { Logger } from '../../lib/logger.js';
import { EncryptionCodec } from '../../temporal/codec.js';
import { isSameSecret, requireOpsToken } from '../auth/ops-token.js';
import { AppError, badRequest } from '../errors.js';
import { documentedRoute } from '../openapi/route.js';

const Base64 = z
  .string()
  .max(8_000_000)
  .regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64');
const CodecBodySchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).optional(), data: Base64.optional() })).max(10_000),
});
type CodecBody = z.infer<typeof CodecBodySchema>;
type JsonPayload = { metadata?: Record<string, string>; data?: string };
const op = z.enum(['encode', 'decode']);
const OpParamsSchema = z.object({ op });
const NamespaceParamsSchema = z.object({ namespace: z.string(), op });
const UiParamsSchema = z.object({ uiKey: z.string(), op });

/** The endpoint's own 400: the Temporal UI shows this detail as it is. */
const invalidBody = (_req: Request, _res: Response, _issues: unknown[]) => {
  throw badRequest('Expected { "payloads": [{ "metadata": { "<key>": "<base64>" }, "data": "<base64>" }] }.');
};

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
  // Before the body is read: any other last segment is not a codec operation.
  const requireOp: RequestHandler = (req, _res, next) => {
    if (req.params.op !== 'encode' && req.params.op !== 'decode')
      throw new AppError(404, 'not-found', 'Not found', 'Use …/encode or …/decode.');
    next();
  };
  // `npm start` only: the dev-server UI has no way to send a token, so its codec URL carries a secret derived from
  // OPS_TOKEN (lib/codec-ui-key.ts). Development only; test and production always need the bearer token.
  const requireUiKey: RequestHandler = (req, _res, next) => {
    const expected = deps.config.NODE_ENV === 'development' && opsToken ? codecUiKey(opsToken) : undefined;
    const given = String(req.params.uiKey ?? '');
    if (!expected || !isSameSecret(given, expected))
      throw new AppError(404, 'not-found', 'Not found', 'Use /codec/decode with Authorization: Bearer <OPS_TOKEN>.');
    next();
  };

  const handle = async (req: Request, res: Response, { params, body }: { params: { op: 'encode' | 'decode' }; body: CodecBody }) => {
    const { op } = params;
    let out: Payload[];
    try {
      const payloads = body.payloads.map(toPayload);
      out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    } catch (err) {
      deps.log.warn({ op, err: (err as Error).message }, 'codec request failed');
      throw badRequest(`Could not ${op} the payloads: ${(err as Error).message}`);
    }
    res.setHeader('cache-control', 'no-store');
    res.json({ payloads: out.map(toJson) });
  };

  router.options('/codec{/*rest}', cors);
  const body = express.json({ limit: '8mb' });
  const codecRoute = (
    path: string,
    summary: string,
    auth: 'ops' | 'none',
    guard: RequestHandler,
    params: typeof OpParamsSchema | typeof NamespaceParamsSchema | typeof UiParamsSchema,
  ) =>
    documentedRoute(
      router,
      {
        method: 'post',
        path,
        tags: ['Ops'],
        auth,
        summary,
        params,
        body: CodecBodySchema,
        example: { payloads: [] },
        responses: { 200: CodecBodySchema, 503: 'OPS_TOKEN is not set' },
      },
      [cors, guard, requireOp, body],
      handle,
      { onInvalid: invalidBody },
    );
  codecRoute(
    '/codec/ui/:uiKey/:op',
    'Temporal payload codec for the local dev UI (NODE_ENV=development; the key derives from OPS_TOKEN)',
    'none',
    requireUiKey,
    UiParamsSchema,
  );
  codecRoute(
    '/codec/:op',
    'Temporal payload codec: encode or decode proto3-JSON payloads (Bearer OPS_TOKEN)',
    'ops',
    requireOps,
    OpParamsSchema,
  );
  codecRoute(
    '/codec/:namespace/:op',
    'The same, for the Temporal UI, which puts the namespace in the path',
    'ops',
    requireOps,
    NamespaceParamsSchema,
  );
  return router;
};
