/** Liveness (the process answers) and readiness (MongoDB and Temporal answer), naming what is down. */
import { Router } from 'express';
import { z } from 'zod';
import { documentedRoute } from '../openapi/route.js';

export type ReadinessCheck = () => Promise<void>;

const withTimeout = <T>(p: Promise<T>, ms: number) => {
  // The check may fail after the timeout already answered; that late rejection must not go unhandled.
  p.catch(() => undefined);
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
};

const TAGS = ['Ops'];
const LiveSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  failing: z.array(z.string()),
  checks: z.record(z.string(), z.string()).describe('`ok`, or `unavailable: <why>`, per dependency'),
});

export const healthRouter = (checks: Record<string, ReadinessCheck>) => {
  const router = Router();
  documentedRoute(
    router,
    { method: 'get', path: '/healthz', tags: TAGS, auth: 'none', summary: 'Liveness: the process answers', responses: { 200: LiveSchema } },
    [],
    async (_req, res) => {
      res.json({ status: 'ok' });
    },
  );
  documentedRoute(
    router,
    {
      method: 'get',
      path: '/readyz',
      tags: TAGS,
      auth: 'none',
      summary: 'Readiness: MongoDB and Temporal answer within 2 seconds',
      responses: { 200: ReadySchema, 503: 'A dependency is down; the body (same shape as 200) names it' },
    },
    [],
    async (_req, res) => {
      const results: Record<string, string> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), 2_000);
            results[name] = 'ok';
          } catch (err) {
            results[name] = `unavailable: ${(err as Error).message.slice(0, 200)}`;
          }
        }),
      );
      const failing = Object.keys(results).filter((k) => results[k] !== 'ok');
      res.status(failing.length ? 503 : 200).json({ status: failing.length ? 'unavailable' : 'ok', failing, checks: results });
    },
  );
  return router;
};
