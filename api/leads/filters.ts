/** Turns validated lead filters into a MongoDB filter built only from our own keys and plain values. */
import type { LeadFilters } from './schemas.js';

const SEARCHED_FIELDS = ['name', 'email', 'phone', 'enquiry'] as const;

/** Every regex metacharacter escaped: `q` is matched literally, and cannot make the regex slow. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export const leadFilter = (businessId: string, f: LeadFilters): Record<string, unknown> => {
  // Merged duplicates stay readable by id but never show in lists or exports.
  const filter: Record<string, unknown> = { businessId, mergedInto: { $exists: false } };
  if (f.status) filter.status = f.status;
  if (f.channel) filter.channel = f.channel;
  if (f.urgency) filter.urgency = f.urgency;
  if (f.from || f.to) filter.createdAt = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lte: f.to } : {}) };
  if (f.q) {
    const pattern = escapeRegex(f.q);
    filter.$or = SEARCHED_FIELDS.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } }));
  }
  return filter;
};
