/** The Page/Instagram id → business cache on the webhook path stays bounded and drops least recently used ids. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelRouter } from '../../../api/meta/channel-router.js';
import { connectDb, type Db } from '../../../db/connection.js';
import { testMongoUri } from '../../helpers/services.js';

let db: Db;
beforeAll(async () => {
  db = await connectDb(testMongoUri('channel-router'));
  await db.models.Channel.create({
    _id: 'ch_router',
    businessId: 'biz_router',
    kind: 'messenger',
    externalId: '700000000000001',
    pageId: '700000000000001',
  });
});
afterAll(async () => {
  await db?.connection.dropDatabase();
  await db?.close();
});

describe('channel router cache', () => {
  it('serves repeats from memory, and evicts the least recently used id once past its bound', async () => {
    const router = createChannelRouter(db.models, { maxEntries: 2, missTtlMs: 60_000 });
    expect(await router.resolve('messenger', '700000000000001')).toEqual({ businessId: 'biz_router', channelId: 'ch_router' });
    await db.models.Channel.updateOne({ _id: 'ch_router' }, { $set: { status: 'disconnected' } });
    // Cached: the database change is not seen yet.
    expect(await router.resolve('messenger', '700000000000001')).not.toBeNull();
    // Two invented ids (misses are cached too) push the real one out of a cache of two.
    expect(await router.resolve('messenger', 'invented-1')).toBeNull();
    expect(await router.resolve('messenger', 'invented-2')).toBeNull();
    expect(await router.resolve('messenger', '700000000000001')).toBeNull();
  });
});
