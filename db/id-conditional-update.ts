/**
 * `updateOne({ _id, ...condition }, update)` that stays on the `_id` index on every MongoDB-wire backend.
 *
 * MongoDB serves such a filter from the `_id` index and applies it atomically. FerretDB v1 on SQLite uses an index
 * only for a filter that is exactly `{ _id: <string> }`; with any other key it reads the WHOLE collection and filters
 * it in Go (a delivery claim on `messages` cost 29 ms at 1,000 messages and 850 ms at 20,000, and capacity fell
 * tenfold as a benchmark's data grew). There the condition is checked here on the document read by `_id`, which is
 * then written by `_id`: the guarantee FerretDB v1 gives anyway (its updates are not atomic; see the README), at
 * the cost of two indexed operations.
 */
import type { Connection } from 'mongoose';

/** Connections whose server is FerretDB (set by connectDb from buildInfo). */
const ferretDbConnections = new WeakSet<Connection>();

export const markFerretDb = (connection: Connection) => ferretDbConnections.add(connection);
export const isFerretDb = (connection: Connection) => ferretDbConnections.has(connection);

/** The condition forms this module evaluates: equality on a (dotted) path, `$in` and `$exists`. */
type Condition = Record<string, unknown>;

const valueAt = (doc: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a === undefined || a === null) return b === null;
  return a === b;
};

/** MongoDB's equality: an array field matches when one of its elements does. */
const equals = (actual: unknown, expected: unknown) =>
  Array.isArray(actual) && !Array.isArray(expected) ? actual.some((v) => sameValue(v, expected)) : sameValue(actual, expected);

const isOperator = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('$'));

export const matchesCondition = (doc: unknown, condition: Condition): boolean =>
  Object.entries(condition).every(([path, expected]) => {
    const actual = valueAt(doc, path);
    if (!isOperator(expected)) return equals(actual, expected);
    return Object.entries(expected).every(([op, arg]) => {
      if (op === '$in' && Array.isArray(arg)) return arg.some((v) => equals(actual, v));
      if (op === '$exists') return (actual !== undefined) === Boolean(arg);
      throw new Error(`updateByIdIf: ${op} is not supported; add it here or use updateOne on MongoDB-only code`);
    });
  });

/**
 * Updates the document with this `_id` when it matches `condition`; `modifiedCount` says whether it did. Use it for
 * compare-and-set writes on big collections (claims, "only while this attempt holds it").
 */
/** What this needs of a mongoose model (structural, so every model with string ids fits). */
type IdKeyedModel = {
  db: Connection;
  updateOne: (filter: never, update: never) => PromiseLike<{ matchedCount: number; modifiedCount: number }>;
  findById: (id: string, projection: Record<string, 1>) => { lean: () => PromiseLike<unknown> };
};

export const updateByIdIf = async (
  model: IdKeyedModel,
  id: string,
  condition: Condition,
  update: Record<string, unknown>,
): Promise<{ matchedCount: number; modifiedCount: number }> => {
  if (!isFerretDb(model.db)) {
    const r = await model.updateOne({ _id: id, ...condition } as never, update as never);
    return { matchedCount: r.matchedCount, modifiedCount: r.modifiedCount };
  }
  const projection = Object.fromEntries(Object.keys(condition).map((path) => [path, 1 as const]));
  const doc = await model.findById(id, projection).lean();
  if (!doc || !matchesCondition(doc, condition)) return { matchedCount: 0, modifiedCount: 0 };
  const r = await model.updateOne({ _id: id } as never, update as never);
  return { matchedCount: r.matchedCount, modifiedCount: r.modifiedCount };
};
