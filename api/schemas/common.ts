/** Field schemas shared by several routes; each message says what a valid value looks like. */
import { z } from 'zod';

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an email address such as name@example.com' }));

export const TimezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/London');

export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id of letters, digits, _ or -');
export const BusinessParamsSchema = z.object({ businessId: IdSchema.describe('Business id (biz_…)') });

export const HttpsUrlSchema = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(2000);
