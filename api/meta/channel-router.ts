/** Maps a Page id / Instagram account id to its business, cached so the webhook ack needs no database trip. */
import type { Models } from '../../db/models/index.js';
import { createTtlCache } from '../../lib/ttl-cache.js';

export type ChannelRoute = { businessId: string; channelId: string };

export const createChannelRouter = (models: Models, opts: { ttlMs?: number; missTtlMs?: number; maxEntries?: number } = {}) => {
  const ttl = opts.ttlMs ?? 30_000;
  const missTtl = opts.missTtlMs ?? 5_000;
  // Bounded: misses are cached too, and webhook ids are chosen by whoever signs the request.
  const cache = createTtlCache<ChannelRoute | null>(opts.maxEntries ?? 20_000);

  return {
    async resolve(kind: 'messenger' | 'instagram', externalId: string): Promise<ChannelRoute | null> {
      const key = `${kind}:${externalId}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const channel = await models.Channel.findOne({ kind, externalId, status: { $ne: 'disconnected' } }, { businessId: 1 }).lean();
      const route = channel ? { businessId: channel.businessId, channelId: channel._id } : null;
      cache.set(key, route, route ? ttl : missTtl);
      return route;
    },
    invalidate: () => cache.clear(),
  };
};
export type ChannelRouter = ReturnType<typeof createChannelRouter>;
