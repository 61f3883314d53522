/** Maps a Page id / Instagram account id to its business, cached so the webhook ack needs no database trip. */
import type { Models } from '../../db/models/index.js';

export type ChannelRoute = { businessId: string; channelId: string };

export const createChannelRouter = (models: Models, opts: { ttlMs?: number; missTtlMs?: number } = {}) => {
  const ttl = opts.ttlMs ?? 30_000;
  const missTtl = opts.missTtlMs ?? 5_000;
  const cache = new Map<string, { route: ChannelRoute | null; expires: number }>();

  return {
    async resolve(kind: 'messenger' | 'instagram', externalId: string): Promise<ChannelRoute | null> {
      const key = `${kind}:${externalId}`;
      const hit = cache.get(key);
      if (hit && hit.expires > Date.now()) return hit.route;
      const channel = await models.Channel.findOne({ kind, externalId, status: { $ne: 'disconnected' } }, { businessId: 1 }).lean();
      const route = channel ? { businessId: channel.businessId, channelId: channel._id } : null;
      cache.set(key, { route, expires: Date.now() + (route ? ttl : missTtl) });
      return route;
    },
    invalidate: () => cache.clear(),
  };
};
export type ChannelRouter = ReturnType<typeof createChannelRouter>;
