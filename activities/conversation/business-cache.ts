/**
 * The business profile on the reply path, read through a small in-process cache: every message needs it (AI mode,
 * handover pause, the profile the model sees) and it changes rarely, so one read per business every few seconds
 * instead of two per message. An owner's change reaches the next reply within BUSINESS_CACHE_TTL_MS.
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
