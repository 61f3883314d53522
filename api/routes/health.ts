/** Liveness (the process answers) and readiness (MongoDB and Temporal answer), naming what is down. */
import { Router } from 'express';

export type ReadinessCheck = () => Promise<void>;

const withTimeout = <T>(p: Promise<T>, ms: number) => {
  // The check may fail after the timeout already answered; that late rejection must not go unhandled.
  p.catch(() => undefined);
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
};

export const healthRouter = (checks: Record<string, ReadinessCheck>) => {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
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
  });
  return router;
};
