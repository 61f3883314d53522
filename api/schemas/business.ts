/** Business configuration: what the assistant knows, how the widget looks and where notifications go. */
import { z } from 'zod';
import { MAX_PAUSE_MINUTES } from '../../domain/conversation.js';
import { EmailSchema, HttpsUrlSchema, TimezoneSchema } from './common.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const WorkingHoursSchema = z
  .object({
    day: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    open: z.string().regex(HHMM, 'must be HH:MM (24-hour), e.g. 09:00'),
    close: z.string().regex(HHMM, 'must be HH:MM (24-hour), e.g. 17:30'),
  })
  .strict()
  .refine((h) => h.open < h.close, { message: 'open must be earlier than close', path: ['close'] });

export const OriginSchema = z
  .string()
  .max(300)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === v;
    } catch {
      return false;
    }
  }, 'must be an origin only (scheme://host[:port], no path or trailing slash), e.g. https://www.example.com');

export const E164Schema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number such as +447700900123');

/** Fields that decide where customers' personal data is sent or who may embed the chat: owners only. */
export const OWNER_ONLY_FIELDS = ['name', 'allowedOrigins', 'notifyWhatsapp', 'notifyEmails', 'emailMode'] as const;

export const BusinessPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    niche: z.string().trim().min(1).max(80),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB')
      .refine((c) => regionNames.of(c) !== c, 'is not a known country code'),
    timezone: TimezoneSchema,
    language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as en or en-GB'),
    workingHours: z.array(WorkingHoursSchema).max(21, 'at most 21 opening intervals'),
    pricing: z.string().max(4000, 'must be at most 4000 characters').nullable(),
    bookingLinks: z
      .array(z.object({ label: z.string().trim().min(1).max(80), url: HttpsUrlSchema }).strict())
      .max(10, 'at most 10 booking links'),
    calendlyUrl: z
      .url({ protocol: /^https$/, hostname: /^(www\.)?calendly\.com$/, message: 'must be a https://calendly.com/… link' })
      .max(500)
      .nullable(),
    customInstructions: z.string().max(4000, 'must be at most 4000 characters').nullable(),
    aiMode: z.enum(['auto', 'draft', 'off']),
    handoverPauseMinutes: z
      .number()
      .int()
      .min(1, `must be 1 to ${MAX_PAUSE_MINUTES} minutes (30 days)`)
      .max(MAX_PAUSE_MINUTES, `must be 1 to ${MAX_PAUSE_MINUTES} minutes (30 days)`),
    allowedOrigins: z.array(OriginSchema).max(20, 'at most 20 origins'),
    widgetColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb'),
    widgetGreeting: z.string().trim().min(1).max(300),
    privacyUrl: HttpsUrlSchema.nullable(),
    notifyWhatsapp: z.array(E164Schema).max(10, 'at most 10 WhatsApp numbers'),
    notifyEmails: z.array(EmailSchema).max(10, 'at most 10 email addresses'),
    emailMode: z.enum(['instant', 'digest']),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');
export type BusinessPatch = z.infer<typeof BusinessPatchSchema>;

export const BusinessViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  niche: z.string(),
  country: z.string(),
  timezone: z.string(),
  language: z.string(),
  workingHours: z.array(z.object({ day: z.number(), open: z.string(), close: z.string() })),
  pricing: z.string().nullable(),
  bookingLinks: z.array(z.object({ label: z.string(), url: z.string() })),
  calendlyUrl: z.string().nullable(),
  customInstructions: z.string().nullable(),
  aiMode: z.enum(['auto', 'draft', 'off']),
  handoverPauseMinutes: z.number(),
  publishableKey: z.string(),
  allowedOrigins: z.array(z.string()),
  widgetColor: z.string(),
  widgetGreeting: z.string(),
  privacyUrl: z.string().nullable(),
  notifyWhatsapp: z.array(z.object({ number: z.string(), status: z.enum(['ok', 'failing']) })),
  notifyEmails: z.array(z.string()),
  emailMode: z.enum(['instant', 'digest']),
  status: z.enum(['active', 'closing', 'closed']),
  access: z.object({ role: z.enum(['owner', 'member', 'platform']), via: z.enum(['membership', 'platform', 'api_key']) }),
});
export type BusinessView = z.infer<typeof BusinessViewSchema>;

export const PublishableKeySchema = z.object({ publishableKey: z.string() });
