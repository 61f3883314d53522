/**
 * Conditional writes by `_id` (db/id-conditional-update.ts): on FerretDB the condition is checked on the document
 * read by `_id`, so every command it sends must filter on `_id` alone (the only filter FerretDB on SQLite serves from
 * an index); and on every backend it must decide exactly as the server's own conditional updateOne does.
 */
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type Db } from '../../db/connection.js';
import { isFerretDb, matchesCondition, updateByIdIf } from '../../db/id-conditional-update.js';
import { testMongoUri } from '../helpers/services.js';

const at = new Date('2026-12-03T10:00:00Z');
/** A reply as the delivery claims see it, in the states they meet. */
const DOCS: Record<string, Record<string, unknown>> = {
  pending: { status: 'pending', sentChunks: 0 },
  failedSecondChunk: { status: 'failed', sentChunks: 1 },
  claimed: { status: 'pending', sentChunks: 0, attempt: { chunk: 0, token: 'tok-a', at } },
  sent: { status: 'sent', sentChunks: 2, providerMessageIds: ['m1', 'm2'] },
  nullAttempt: { status: 'pending', sentChunks: 0, attempt: null },
};
const CONDITIONS: Record<string, Record<string, unknown>> = {
  claimChunk0: { status: { $in: ['pending', 'failed'] }, sentChunks: 0, attempt: { $exists: false } },
  claimChunk1: { status: { $in: ['pending', 'failed'] }, sentChunks: 1, attempt: { $exists: false } },
  heldByA: { 'attempt.token': 'tok-a' },
  heldByB: { 'attempt.token': 'tok-b' },
  hasAttempt: { attempt: { $exists: true } },
  arrayContains: { providerMessageIds: 'm2' },
  sentStatus: { status: 'sent' },
};

describe('updateByIdIf', () => {
  let db: Db;
  const filters: Record<string, unknown>[] = [];
  beforeAll(async () => {
    db = await connectDb(testMongoUri('id-conditional-update'), { monitorCommands: true });
    db.connection.getClient().on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find') filters.push(e.command.filter as Record<string, unknown>);
      if (e.commandName === 'update') for (const u of e.command.updates as { q: Record<string, unknown> }[]) filters.push(u.q);
    });
  });
  afterAll(async () => {
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  const collection = () => db.connection.collection<Record<string, unknown> & { _id: string }>('messages');

  it('decides every case as the server does, and writes the same document', async () => {
    for (const [docName, doc] of Object.entries(DOCS))
      for (const [condName, condition] of Object.entries(CONDITIONS)) {
        const [ours, server] = [`${docName}:${condName}:ours`, `${docName}:${condName}:server`];
        await collection().insertMany([
          { _id: ours, ...doc },
          { _id: server, ...doc },
        ]);
        const update = { $set: { statusReason: condName } };
        const mine = await updateByIdIf(db.models.Message, ours, condition, update);
        // The model's own conditional updateOne: the server's matcher, with the same casting and timestamps.
        const theirs = await db.models.Message.updateOne({ _id: server, ...condition } as never, update);
        const what = `${docName} / ${condName}`;
        expect(mine.modifiedCount, what).toBe(theirs.modifiedCount);
        expect(matchesCondition(doc, condition), what).toBe(theirs.modifiedCount === 1);
        const [a, b] = await Promise.all([collection().findOne({ _id: ours }), collection().findOne({ _id: server })]);
        expect({ ...a, _id: undefined, updatedAt: undefined }, what).toEqual({ ...b, _id: undefined, updatedAt: undefined });
        expect(Boolean(a?.updatedAt), what).toBe(Boolean(b?.updatedAt));
      }
  });

  it('reports no match for a document that does not exist', async () => {
    expect(await updateByIdIf(db.models.Message, 'no-such-message', { status: 'pending' }, { $set: { statusReason: 'x' } })).toEqual({
      matchedCount: 0,
      modifiedCount: 0,
    });
  });

  it('refuses a condition it cannot evaluate instead of guessing', () => {
    expect(() => matchesCondition({ n: 1 }, { n: { $gt: 0 } })).toThrow(/\$gt is not supported/);
  });

  it('on FerretDB, filters on _id alone (the only filter its SQLite backend serves from an index)', async (ctx) => {
    if (!isFerretDb(db.connection)) ctx.skip();
    await collection().insertOne({ _id: 'indexed', ...DOCS.pending });
    filters.length = 0;
    const claimed = await updateByIdIf(db.models.Message, 'indexed', CONDITIONS.claimChunk0!, { $set: { attempt: { token: 't' } } });
    expect(claimed.modifiedCount).toBe(1);
    expect(filters).toEqual([{ _id: 'indexed' }, { _id: 'indexed' }]);
  });
});
