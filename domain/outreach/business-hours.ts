/** When an outreach email may go out: at once without a known timezone, else within business hours there (Mon–Fri). */
import { addDays, localParts, safeTimeZone, zonedTimeToUtc } from '../../ai/zoned-time.js';

export type BusinessHours = { startHour: number; endHour: number };

const isWeekday = (weekday: number) => weekday >= 1 && weekday <= 5;

/** `atMs` itself when it is within hours (or the timezone is unknown), else the next opening. */
export const nextSendableAt = (atMs: number, timeZone: string | null | undefined, hours: BusinessHours): number => {
  if (!timeZone) return atMs;
  const zone = safeTimeZone(timeZone);
  const now = localParts(new Date(atMs), zone);
  if (isWeekday(now.weekday) && now.hour >= hours.startHour && now.hour < hours.endHour) return atMs;
  for (let offset = 0; offset <= 7; offset++) {
    const d = addDays(now.year, now.month, now.day, offset);
    const opening = zonedTimeToUtc(d.year, d.month, d.day, hours.startHour, 0, zone).getTime();
    if (opening > atMs && isWeekday(localParts(new Date(opening), zone).weekday)) return opening;
  }
  return atMs;
};
