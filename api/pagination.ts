/**
 * Cursor pagination for every list endpoint: `?limit=1..100&cursor=` → `{ data, nextCursor }`.
 * The cursor is opaque (base64url of the last row's sort value and _id), so pages stay stable while rows
 * are added, and it works on FerretDB (plain find + sort + limit, no aggregation).
 *
 *   const page = await findPage(models.Lead, { businessId }, query, { sortBy: 'createdAt', order: 'desc' });
 *   res.json(mapPage(page, toLeadView));
 */
import type { InferSchemaType } from 'mongoose';
import { z } from 'zod';
import { badRequest } from './errors.js';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(25),
  cursor: z.string().max(512).optional().describe('nextCursor from the previous page'),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export type Page<T> = { data: T[]; nextCursor: string | null };
/** Response schema for a page of `item`, for route registration. */
export const PageSchema = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

type SortValue = string | number | Date;
type Encoded = [string | number | { d: string }, string];

const encodeCursor = (value: SortValue, id: string) => {
  const v: Encoded[0] = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([v, id] satisfies Encoded)).toString('base64url');
};

const decodeCursor = (cursor: string): { value: SortValue; id: string } => {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Encoded;
    if (typeof id !== 'string') throw new Error('bad id');
    if (typeof v === 'string' || typeof v === 'number') return { value: v, id };
    if (v && typeof v === 'object' && typeof v.d === 'string' && !Number.isNaN(Date.parse(v.d))) return { value: new Date(v.d), id };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('query.cursor: is not a cursor this API issued; pass nextCursor from the previous page unchanged.', {
    errors: [{ field: 'query.cursor', message: 'invalid cursor' }],
  });
};

export type FindPageOptions = { sortBy?: string; order?: 'asc' | 'desc'; projection?: Record<string, 0 | 1> };

/** Any of our mongoose models, described only by what paging needs (mongoose's own generics do not infer well). */
type PageableModel = {
  schema: unknown;
  find(
    filter: Record<string, unknown>,
    projection?: Record<string, 0 | 1>,
  ): { sort(s: Record<string, 1 | -1>): { limit(n: number): { lean(): PromiseLike<unknown> } } };
};
export type RowOf<M> = M extends { schema: infer S } ? InferSchemaType<S> & { _id: string } : never;

/**
 * One page of `model` rows matching `filter`, ordered by `sortBy` then `_id` (default: `_id` descending).
 * The row type is inferred from the model's schema; pass it as the second type argument to name it yourself.
 */
export const findPage = async <M, TRow = RowOf<M>>(
  model: M & PageableModel,
  filter: Record<string, unknown>,
  page: PageQuery,
  opts: FindPageOptions = {},
): Promise<Page<TRow>> => {
  const field = opts.sortBy ?? '_id';
  const dir = opts.order === 'asc' ? 1 : -1;
  const op = dir === 1 ? '$gt' : '$lt';
  let where = filter;
  if (page.cursor) {
    const { value, id } = decodeCursor(page.cursor);
    const after = field === '_id' ? { _id: { [op]: id } } : { $or: [{ [field]: { [op]: value } }, { [field]: value, _id: { [op]: id } }] };
    where = { $and: [filter, after] };
  }
  const sort: Record<string, 1 | -1> = field === '_id' ? { _id: dir } : { [field]: dir, _id: dir };
  const rows = (await model
    .find(where, opts.projection)
    .sort(sort)
    .limit(page.limit + 1)
    .lean()) as TRow[];
  const hasMore = rows.length > page.limit;
  const data = hasMore ? rows.slice(0, page.limit) : rows;
  const last = data[data.length - 1] as Record<string, unknown> | undefined;
  return { data, nextCursor: hasMore && last ? encodeCursor(last[field] as SortValue, String(last._id)) : null };
};

export const mapPage = <T, U>(page: Page<T>, fn: (row: T) => U): Page<U> => ({ data: page.data.map(fn), nextCursor: page.nextCursor });
