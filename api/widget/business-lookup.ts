/** Finds the business behind a publishable key (cached briefly) and checks the calling origin against its list. */
import type { Models } from '../../db/models/index.js';

export type WidgetBusiness = {
  businessId: string;
  name: string;
  color: string;
  greeting: string;
  privacyUrl: string;
  allowedOrigins: string[];
  publishableKey: string;
};

export const createWidgetBusinessLookup = (models: Models, publicUrl: string, ttlMs = 30_000) => {
  const cache = new Map<string, { value: WidgetBusiness | null; expires: number }>();
  const lookup = async (key: string): Promise<WidgetBusiness | null> => {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const b = await models.Business.findOne({ publishableKey: key, status: 'active' }).lean();
    const value = b
      ? {
          businessId: b._id,
          name: b.name,
          color: b.widgetColor,
          greeting: b.widgetGreeting,
          privacyUrl: b.privacyUrl ?? `${publicUrl.replace(/\/$/, '')}/privacy`,
          allowedOrigins: b.allowedOrigins,
          publishableKey: b.publishableKey,
        }
      : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, expires: Date.now() + ttlMs });
    return value;
  };
  /** Drops this replica's cached entries for a business (key rotated, origins or look changed). */
  const forgetBusiness = (businessId: string) => {
    for (const [k, v] of cache) if (v.value?.businessId === businessId) cache.delete(k);
  };
  return Object.assign(lookup, { forgetBusiness });
};

export const isOriginAllowed = (origin: string | undefined, allowed: string[]) => {
  if (!origin) return false;
  try {
    const normalised = new URL(origin).origin;
    return allowed.some((a) => {
      try {
        return new URL(a).origin === normalised;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
};
