import { describe, expect, it } from 'vitest';
import { type BusinessProfile } from '../../ai/types.js';
import { describeHours, openingStatus } from '../../ai/working-hours.js';
import { dentalGB, lawFirmUS, MONDAY_OPEN_LONDON, plumberAU, SATURDAY_EVENING_LONDON } from './fixtures.js';

const withHours = (timezone: string, workingHours: BusinessProfile['workingHours']): BusinessProfile => ({
  ...dentalGB,
  timezone,
  workingHours,
});

describe('openingStatus', () => {
  it('open on a weekday morning in London (BST)', () => {
    expect(openingStatus(dentalGB, MONDAY_OPEN_LONDON)).toMatchObject({
      isOpen: true,
      localTime: '10:00',
      localWeekday: 'Monday',
      closesAt: '17:30',
      hoursListed: true,
    });
  });

  it('closed on Saturday evening; next opening is Monday 09:00 London time', () => {
    const status = openingStatus(dentalGB, SATURDAY_EVENING_LONDON);
    expect(status.isOpen).toBe(false);
    expect(status.localTime).toBe('20:00');
    expect(status.nextOpen).toEqual({ weekday: 'Monday', time: '09:00', date: '2024-06-10', at: '2024-06-10T08:00:00.000Z' });
  });

  it('the same UTC time is closed before the UK clock change and open after it', () => {
    const beforeDst = openingStatus(dentalGB, new Date('2024-03-25T08:30:00Z')); // 08:30 GMT
    const afterDst = openingStatus(dentalGB, new Date('2024-04-01T08:30:00Z')); // 09:30 BST
    expect(beforeDst).toMatchObject({
      isOpen: false,
      localTime: '08:30',
      nextOpen: { weekday: 'Monday', time: '09:00', at: '2024-03-25T09:00:00.000Z' },
    });
    expect(afterDst).toMatchObject({ isOpen: true, localTime: '09:30' });
  });

  it('next opening across a US DST change uses the new offset', () => {
    // Friday 17:30 EST → Monday 09:00 EDT (clocks went forward on Sunday 10 March 2024).
    expect(openingStatus(lawFirmUS, new Date('2024-03-08T22:30:00Z')).nextOpen).toEqual({
      weekday: 'Monday',
      time: '09:00',
      date: '2024-03-11',
      at: '2024-03-11T13:00:00.000Z',
    });
    // Friday 17:30 EDT → Monday 09:00 EST (clocks went back on Sunday 3 November 2024).
    expect(openingStatus(lawFirmUS, new Date('2024-11-01T21:30:00Z')).nextOpen?.at).toBe('2024-11-04T14:00:00.000Z');
  });

  it('one instant, three timezones', () => {
    const now = MONDAY_OPEN_LONDON; // 09:00 UTC Monday
    expect(openingStatus(dentalGB, now).isOpen).toBe(true);
    expect(openingStatus(lawFirmUS, now)).toMatchObject({
      isOpen: false,
      localTime: '05:00',
      nextOpen: { weekday: 'Monday', time: '09:00', at: '2024-06-03T13:00:00.000Z' },
    });
    expect(openingStatus(plumberAU, now)).toMatchObject({
      isOpen: false,
      localTime: '19:00',
      nextOpen: { weekday: 'Tuesday', date: '2024-06-04', at: '2024-06-03T21:00:00.000Z' },
    });
  });

  it('uses the local weekday across the date line (Sunday in UTC is Monday in Auckland)', () => {
    const auckland = withHours('Pacific/Auckland', [{ day: 1, open: '09:00', close: '17:00' }]);
    expect(openingStatus(auckland, new Date('2024-06-02T21:00:00Z'))).toMatchObject({
      isOpen: true,
      localWeekday: 'Monday',
      localTime: '09:00',
    });
  });

  it('handles overnight hours that close after midnight', () => {
    const bar = withHours('Europe/London', [{ day: 5, open: '18:00', close: '02:00' }]);
    expect(openingStatus(bar, new Date('2024-06-08T00:00:00Z'))).toMatchObject({
      isOpen: true,
      localWeekday: 'Saturday',
      closesAt: '02:00',
    });
    expect(openingStatus(bar, new Date('2024-06-08T02:00:00Z'))).toMatchObject({
      isOpen: false,
      nextOpen: { weekday: 'Friday', date: '2024-06-14', time: '18:00' },
    });
  });

  it('handles a lunch break', () => {
    const split = withHours('Europe/London', [
      { day: 1, open: '09:00', close: '12:00' },
      { day: 1, open: '13:00', close: '17:00' },
    ]);
    expect(openingStatus(split, new Date('2024-06-03T11:30:00Z'))).toMatchObject({
      isOpen: false,
      nextOpen: { time: '13:00', date: '2024-06-03' },
    });
  });

  it('no hours configured: never claims a next opening', () => {
    const status = openingStatus(withHours('Europe/London', []), MONDAY_OPEN_LONDON);
    expect(status).toMatchObject({ isOpen: false, hoursListed: false });
    expect(status.nextOpen).toBeUndefined();
  });

  it('a misconfigured timezone falls back to UTC instead of throwing', () => {
    expect(openingStatus(withHours('Mars/Olympus_Mons', dentalGB.workingHours), MONDAY_OPEN_LONDON)).toMatchObject({
      isOpen: true,
      localTime: '09:00',
    });
  });
});

describe('describeHours', () => {
  it('merges consecutive days with equal hours', () => {
    expect(describeHours(dentalGB)).toBe('Mon–Fri 09:00–17:30, Sat 10:00–14:00');
  });

  it('does not merge across a closed day and lists split hours', () => {
    const hours = withHours('Europe/London', [
      { day: 1, open: '9:00', close: '17:00' },
      { day: 2, open: '09:00', close: '17:00' },
      { day: 4, open: '09:00', close: '17:00' },
      { day: 0, open: '13:00', close: '17:00' },
      { day: 0, open: '10:00', close: '12:00' },
    ]);
    expect(describeHours(hours)).toBe('Mon–Tue 09:00–17:00, Thu 09:00–17:00, Sun 10:00–12:00 & 13:00–17:00');
  });

  it('says when no hours are listed', () => {
    expect(describeHours(withHours('Europe/London', []))).toBe('No opening hours listed');
  });
});
