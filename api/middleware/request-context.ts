/**
 * Request ids and one structured access-log line per request (method, route, status, duration; never bodies).
 * Machine traffic that succeeds (Meta webhooks, widget polls, probes, scrapes) logs at debug: it can run at hundreds
 * per second, the metrics count every request anyway, and a line each cost ~15% of the API's CPU per webhook.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

const MACHINE_ROUTES = new Set(['POST /webhooks/meta', 'GET /widget/v1/messages', 'GET /healthz', 'GET /readyz', 'GET /metrics']);

export const accessLevel = (method: string, route: string, status: number): 'debug' | 'info' | 'warn' =>
  status >= 500 ? 'warn' : status < 400 && MACHINE_ROUTES.has(`${method} ${route}`) ? 'debug' : 'info';

export const requestContext =
  (log: Logger, onFinished?: (info: { method: string; route: string; status: number; seconds: number }) => void): RequestHandler =>
  (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route?.path as string | undefined) ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      onFinished?.({ method: req.method, route, status: res.statusCode, seconds });
      log[accessLevel(req.method, route, res.statusCode)](
        { reqId: req.id, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
    next();
  };
