/** Validates body, query and params with zod and hands on only the parsed values. */
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { badRequest } from '../errors.js';

type Schemas = { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
export type Parsed<S extends Schemas> = {
  body: S['body'] extends z.ZodType ? z.infer<S['body']> : undefined;
  query: S['query'] extends z.ZodType ? z.infer<S['query']> : undefined;
  params: S['params'] extends z.ZodType ? z.infer<S['params']> : undefined;
};

/** Answers an invalid request itself instead of the problem document (public forms answer in their own page). */
export type InvalidRequestHandler = (req: Request, res: Response, issues: z.core.$ZodIssue[]) => void;

const describe = (where: string, issues: z.core.$ZodIssue[]) =>
  issues.slice(0, 10).map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));

export const validate =
  <S extends Schemas>(schemas: S, onInvalid?: InvalidRequestHandler): RequestHandler =>
  (req, res, next) => {
    const parsed: Record<string, unknown> = {};
    const problems: { field: string; message: string }[] = [];
    const issues: z.core.$ZodIssue[] = [];
    for (const where of ['body', 'query', 'params'] as const) {
      const schema = schemas[where];
      if (!schema) continue;
      const result = schema.safeParse(req[where] ?? {});
      if (result.success) parsed[where] = result.data;
      else {
        problems.push(...describe(where, result.error.issues));
        issues.push(...result.error.issues);
      }
    }
    if (issues.length && onInvalid) return onInvalid(req, res, issues);
    if (problems.length) return next(badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems }));
    res.locals.parsed = parsed;
    next();
  };
