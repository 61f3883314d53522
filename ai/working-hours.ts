// Is the business open right now (in its own timezone), and when does it next open?
// Supports several intervals per day (lunch breaks) and overnight hours such as 18:00–02:00.
import { type BusinessProfile, type Weekday } from './types.js';
import { addDays, formatMinutes, localParts, pad2, WEEKDAY_NAMES, zonedTimeToUtc } from './zoned-time.js';

export type NextOpening = { weekday: string; time: string; date: string /* local YYYY-MM-DD */; at: string /* UTC ISO instant */ };
export type OpeningStatus = {
  isOpen: boolean;
  localTime: string; // 'HH:MM' in the business timezone
  localWeekday: string;
  localDate: string; // 'YYYY-MM-DD' in the business timezone
  hoursListed: boolean; // false = no hours configured, so never claim "we're closed"
  nextOpen?: NextOpening; // only when closed
  closesAt?: string; // only when open
};

type Interval = { start: number; end: number }; // minutes since local midnight, end exclusive

function parseHHMM(value: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 24 * 60 ? minutes : undefined;
}

function intervalsOn(business: BusinessProfile, weekday: Weekday): Interval[] {
  const previous = ((weekday + 6) % 7) as Weekday;
  const intervals: Interval[] = [];
  for (const entry of business.workingHours) {
    const open = parseHHMM(entry.open);
    const close = parseHHMM(entry.close);
    if (open === undefined || close === undefined || open === close) continue;
    const overnight = close < open;
    if (entry.day === weekday) intervals.push({ start: open, end: overnight ? 24 * 60 : close });
    if (entry.day === previous && overnight && close > 0) intervals.push({ start: 0, end: close });
  }
  return intervals.sort((a, b) => a.start - b.start);
}

export function openingStatus(business: BusinessProfile, now: Date): OpeningStatus {
  const local = localParts(now, business.timezone);
  const nowMinutes = local.hour * 60 + local.minute;
  const base = {
    localTime: `${pad2(local.hour)}:${pad2(local.minute)}`,
    localWeekday: WEEKDAY_NAMES[local.weekday],
    localDate: `${local.year}-${pad2(local.month)}-${pad2(local.day)}`,
    hoursListed: business.workingHours.some((h) => parseHHMM(h.open) !== undefined && parseHHMM(h.close) !== undefined),
  };
  const current = intervalsOn(business, local.weekday).find((i) => i.start <= nowMinutes && nowMinutes < i.end);
  if (current) return { ...base, isOpen: true, closesAt: formatMinutes(current.end) };

  for (let offset = 0; offset <= 7; offset++) {
    const weekday = ((local.weekday + offset) % 7) as Weekday;
    const opening = intervalsOn(business, weekday).find((i) => offset > 0 || i.start > nowMinutes);
    if (!opening) continue;
    const date = addDays(local.year, local.month, local.day, offset);
    const at = zonedTimeToUtc(date.year, date.month, date.day, Math.floor(opening.start / 60), opening.start % 60, business.timezone);
    const nextOpen = {
      weekday: WEEKDAY_NAMES[weekday],
      time: formatMinutes(opening.start),
      date: `${date.year}-${pad2(date.month)}-${pad2(date.day)}`,
      at: at.toISOString(),
    };
    return { ...base, isOpen: false, nextOpen };
  }
  return { ...base, isOpen: false };
}

const DISPLAY_ORDER: Weekday[] = [1, 2, 3, 4, 5, 6, 0]; // customers read weeks Monday-first
const SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Human summary such as "Mon–Fri 09:00–17:30, Sat 10:00–14:00"; consecutive days with equal hours are merged. */
export function describeHours(business: BusinessProfile): string {
  const perDay = DISPLAY_ORDER.map((day) => ({
    day,
    hours: business.workingHours
      .filter((h) => h.day === day && parseHHMM(h.open) !== undefined && parseHHMM(h.close) !== undefined)
      .sort((a, b) => (parseHHMM(a.open) ?? 0) - (parseHHMM(b.open) ?? 0))
      .map((h) => `${h.open.trim().padStart(5, '0')}–${h.close.trim().padStart(5, '0')}`)
      .join(' & '),
  }));
  const groups: { first: Weekday; last: Weekday; hours: string }[] = [];
  for (const { day, hours } of perDay) {
    const previous = groups[groups.length - 1];
    if (hours && previous && previous.hours === hours && DISPLAY_ORDER.indexOf(previous.last) === DISPLAY_ORDER.indexOf(day) - 1) {
      previous.last = day;
    } else if (hours) {
      groups.push({ first: day, last: day, hours });
    }
  }
  if (groups.length === 0) return 'No opening hours listed';
  return groups.map((g) => `${g.first === g.last ? SHORT[g.first] : `${SHORT[g.first]}–${SHORT[g.last]}`} ${g.hours}`).join(', ');
}
