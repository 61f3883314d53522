import { describe, expect, it } from 'vitest';
import { nextSendableAt } from '../../domain/outreach/business-hours.js';
import { readCsvRows } from '../../domain/outreach/csv.js';
import { openLink, signLink } from '../../domain/outreach/link-tokens.js';
import { renderTemplate, unknownMergeFields } from '../../domain/outreach/template.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}
const rows = async (...parts: string[]) => {
  const out: { line: number; cells: string[] }[] = [];
  for await (const r of readCsvRows(chunks(...parts))) out.push(r);
  return out;
};

describe('outreach CSV reader', () => {
  it('reads quoted cells, doubled quotes, CRLF and line breaks inside quotes, across chunk boundaries', async () => {
    expect(await rows('\ufeffa,b\r\n"x, ""y""",', 'z\n"multi\nline",2\n\n3,4')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, "y"', 'z'] },
      { line: 3, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });
});

describe('outreach templates', () => {
  it('fills merge fields, with a fallback after the bar, and names unknown fields', () => {
    expect(renderTemplate('Hi {{ contactName | there }} at {{company}}', { company: 'Acme' })).toBe('Hi there at Acme');
    expect(renderTemplate('Hi {{contactName|there}}', { contactName: 'Alice' })).toBe('Hi Alice');
    expect(unknownMergeFields('{{company}} {{firstName}} {{ email }}')).toEqual(['firstName', 'email']);
  });
});

describe('outreach business hours', () => {
  const hours = { startHour: 9, endHour: 17 };
  it('sends at once without a timezone or within hours, else at the next weekday opening there', () => {
    const fridayEvening = Date.UTC(2026, 11, 4, 18, 30); // 19:30 in Luxembourg, a Friday
    expect(nextSendableAt(fridayEvening, undefined, hours)).toBe(fridayEvening);
    expect(new Date(nextSendableAt(fridayEvening, 'Europe/Luxembourg', hours)).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    const thursdayNoon = Date.UTC(2026, 11, 3, 11, 0);
    expect(nextSendableAt(thursdayNoon, 'Europe/Luxembourg', hours)).toBe(thursdayNoon);
    expect(new Date(nextSendableAt(thursdayNoon, 'America/New_York', hours)).toISOString()).toBe('2026-12-03T14:00:00.000Z');
  });
});

describe('outreach link tokens', () => {
  const ring = [
    { id: 'k2', key: Buffer.alloc(32, 2) },
    { id: 'k1', key: Buffer.alloc(32, 1) },
  ];
  it('open only for their kind, untampered, under any ring key; a click token binds its URL', () => {
    const sendId = 'outreach:cmp_a:prs_b:0';
    const optOut = signLink(ring, 'opt-out', sendId);
    expect(openLink(ring, 'opt-out', optOut)).toEqual({ sendId });
    expect(openLink(ring, 'open', optOut)).toBeUndefined();
    expect(
      openLink(
        ring,
        'opt-out',
        optOut.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toBeUndefined();
    const oldKey = signLink([ring[1]!], 'opt-out', sendId);
    expect(openLink(ring, 'opt-out', oldKey)).toEqual({ sendId });
    const click = signLink(ring, 'click', sendId, 'https://example.com/a');
    expect(openLink(ring, 'click', click)).toEqual({ sendId, url: 'https://example.com/a' });
    const [payload, keyId, mac] = click.split('.');
    const swapped = Buffer.from(JSON.stringify(['click', sendId, 'https://evil.example'])).toString('base64url');
    expect(openLink(ring, 'click', `${swapped}.${keyId}.${mac}`)).toBeUndefined();
    expect(payload).toBeDefined();
  });
});
