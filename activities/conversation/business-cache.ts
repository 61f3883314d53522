/**
 * The business profile the model sees, read through a small in-process cache: every reply needs it and it changes
 * rarely, so one read per business every few seconds. An edit to the profile reaches replies within
 * BUSINESS_CACHE_TTL_MS; the AI mode and handover pause are read fresh by recordInbound, so an owner's switch to
 * draft or off holds from the very next message (a cached 'auto' once sent a reply the owner had asked to approve).
 */
import type { Models } from '../../db/models/index.js';
import { loadBusiness } from '../../domain/business-profile.js';
import { createTtlCache, type TtlCache } from '../../lib/ttl-cache.js';

export const BUSINESS_CACHE_TTL_MS = 5_000;
const MAX_BUSINESSES = 1_000;

type Business = Awaited<ReturnType<typeof loadBusiness>>;
// One cache per database connection's models (a worker has one; each test harness its own).
const caches = new WeakMap<Models, TtlCache<Business>>();

export const cachedBusiness = async (models: Models, businessId: string): Promise<Business> => {
  let cache = caches.get(models);
  if (!cache) caches.set(models, (cache = createTtlCache<Business>(MAX_BUSINESSES)));
  const hit = cache.get(businessId);
  if (hit) return hit;
  const business = await loadBusiness(models, businessId);
  cache.set(businessId, business, BUSINESS_CACHE_TTL_MS);
  return business;
};
