// Business profiles and transcript builders shared by the ai/ tests.
import { type BusinessProfile, type RespondInput, type TranscriptMessage } from '../../ai/types.js';
import { modelOutput } from '../../sandbox/fakes/model-output.js';

const weekdays = (open: string, close: string) => ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open, close }));

export const dentalGB: BusinessProfile = {
  id: 'biz_dental_gb',
  name: 'Bright Smile Dental',
  niche: 'dental clinic',
  country: 'GB',
  timezone: 'Europe/London',
  language: 'en',
  workingHours: [...weekdays('09:00', '17:30'), { day: 6, open: '10:00', close: '14:00' }],
  pricing: 'Check-up £55; hygienist visit £75; whitening from £299.',
  bookingLinks: [{ label: 'Book a consultation', url: 'https://brightsmile.example/book' }],
  customInstructions: 'Mention free parking behind the clinic when people ask about visiting.',
};

export const lawFirmUS: BusinessProfile = {
  id: 'biz_law_us',
  name: 'Harper & Cole Law',
  niche: 'law firm',
  country: 'US',
  timezone: 'America/New_York',
  language: 'en',
  workingHours: weekdays('09:00', '17:00'),
  bookingLinks: [],
  calendlyUrl: 'https://calendly.example/harper-cole/intro',
  customInstructions: 'Initial consultations are 30 minutes. Never discuss fees for litigation.',
};

export const salonES: BusinessProfile = {
  id: 'biz_salon_es',
  name: 'Peluquería Sol',
  niche: 'hair salon',
  country: 'ES',
  timezone: 'Europe/Madrid',
  language: 'es',
  workingHours: [...weekdays('10:00', '20:00'), { day: 6, open: '10:00', close: '15:00' }],
  pricing: 'Corte 25 €, color desde 45 €',
  bookingLinks: [{ label: 'Reservar', url: 'https://sol.example/reservar' }],
};

export const plumberAU: BusinessProfile = {
  id: 'biz_plumber_au',
  name: 'Harbour Plumbing',
  niche: 'plumber',
  country: 'AU',
  timezone: 'Australia/Sydney',
  language: 'en',
  workingHours: weekdays('07:00', '16:00'),
  bookingLinks: [],
};

export function visitor(text: string, at = '2024-06-03T10:00:00Z'): TranscriptMessage {
  return { direction: 'inbound', author: 'visitor', text, at };
}

export function assistant(text: string, at = '2024-06-03T10:00:05Z'): TranscriptMessage {
  return { direction: 'outbound', author: 'assistant', text, at };
}

/** Monday 3 June 2024, 10:00 in London (BST) — the dental clinic is open. */
export const MONDAY_OPEN_LONDON = new Date('2024-06-03T09:00:00Z');
/** Saturday 8 June 2024, 20:00 in London — closed until Monday 09:00. */
export const SATURDAY_EVENING_LONDON = new Date('2024-06-08T19:00:00Z');

export function input(
  business: BusinessProfile,
  messages: TranscriptMessage[] | string,
  overrides: Partial<RespondInput> = {},
): RespondInput {
  return {
    business,
    transcript: typeof messages === 'string' ? [visitor(messages)] : messages,
    now: MONDAY_OPEN_LONDON,
    isFirstReply: true,
    channel: 'messenger',
    ...overrides,
  };
}

/** The model's answer to Sam asking to book, as the fake OpenAI server returns it; overrides may break the schema on purpose. */
export const samBookingOutput = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...modelOutput({
    reply: "Hi Sam! I'm the automated assistant for Bright Smile Dental. You can book here: https://brightsmile.example/book",
    lead: { name: 'Sam', phone: '07700 900123', email: null, enquiry: 'Wants to book a consultation' },
    enquiryType: 'appointment',
    wantsBooking: true,
  }),
  ...overrides,
});
