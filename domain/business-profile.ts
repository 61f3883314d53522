/** Maps a stored business to the profile the assistant sees: this business's data and nothing else. */
import type { BusinessProfile, Weekday } from '../ai/types.js';
import type { Models } from '../db/models/index.js';
import type { BusinessDoc } from '../db/models/business.js';
import { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_HANDOVER_PAUSE_MINUTES } from './conversation.js';
import { Failure } from './failures.js';

type BusinessRecord = BusinessDoc & { _id: string };

export const toBusinessProfile = (b: BusinessRecord): BusinessProfile => ({
  id: b._id,
  name: b.name,
  niche: b.niche,
  country: b.country,
  timezone: b.timezone,
  language: b.language,
  workingHours: b.workingHours.map((h) => ({ day: h.day as Weekday, open: h.open ?? '09:00', close: h.close ?? '17:00' })),
  pricing: b.pricing ?? undefined,
  bookingLinks: b.bookingLinks.map((l) => ({ label: l.label ?? 'Book', url: l.url ?? '' })).filter((l) => l.url),
  calendlyUrl: b.calendlyUrl ?? undefined,
  customInstructions: b.customInstructions ?? undefined,
});

/** The business's pause after a person steps in (its own setting, else the default). */
export const handoverPauseMinutesOf = (b: Pick<BusinessDoc, 'handoverPauseMinutes'>): number =>
  b.handoverPauseMinutes ?? DEFAULT_HANDOVER_PAUSE_MINUTES;

export const loadBusiness = async (models: Models, businessId: string) => {
  const business = await models.Business.findById(businessId).lean();
  if (!business) throw ApplicationFailure.nonRetryable(`business ${businessId} not found`, Failure.NotFound);
  return business;
};
