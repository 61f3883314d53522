import { describe, expect, it } from 'vitest';
import {
  extractEmail,
  extractLeadFields,
  extractName,
  extractPhone,
  normaliseEmail,
  normalisePhone,
  summariseEnquiry,
} from '../../ai/extract.js';
import { assistant, visitor } from './fixtures.js';

describe('extractName', () => {
  it.each([
    ["Hi, I'm Sam, can I book a consultation? my number is 07700 900123", 'Sam'],
    ['my name is Sam Smith', 'Sam Smith'],
    ['my name is sam smith', 'Sam Smith'],
    ['this is Sam', 'Sam'],
    ['Sam here, quick question about whitening', 'Sam'],
    ['hi im sam', 'Sam'],
    ["i'm priya, do you have anything tomorrow?", 'Priya'],
    ['Hola, me llamo Ana García y quiero una cita', 'Ana García'],
    ['hola soy Lucía, ¿tenéis hueco?', 'Lucía'],
    ["Bonjour, je m'appelle Marie", 'Marie'],
    ['Hallo, ich heiße Jonas', 'Jonas'],
    ['Mein Name ist Lena Schmidt', 'Lena Schmidt'],
    ["I'm Sam Smith from Leeds", 'Sam Smith'],
  ])('%s → %s', (text, name) => {
    expect(extractName(text)).toBe(name);
  });

  it.each([
    "I'm looking for a quote",
    "I'm interested in whitening",
    "I'm in pain",
    "i'm having a problem with my boiler",
    'This is urgent',
    'soy alérgica a la penicilina',
    'je suis intéressée',
    'Ich bin Patientin bei Ihnen',
    "I'm not sure what I need",
    'Is anyone here?',
  ])('no false positive for %s', (text) => {
    expect(extractName(text)).toBeUndefined();
  });
});

describe('normalisePhone', () => {
  it.each([
    ['07700 900123', 'GB', '+447700900123'],
    ['+44 7700 900123', 'GB', '+447700900123'],
    ['0044 7700 900123', 'GB', '+447700900123'],
    ['+44 (0)7700 900123', 'US', '+447700900123'],
    ['447700900123', 'GB', '+447700900123'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['1-415-555-0132', 'US', '+14155550132'],
    ['011 44 7700 900123', 'US', '+447700900123'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['612 345 678', 'ES', '+34612345678'],
    ['0412 345 678', 'AU', '+61412345678'],
    ['030 1234567', 'DE', '+49301234567'],
    ['06 30 123 4567', 'HU', '+36301234567'],
    ['tel:+1 (212) 555-0199 ext. 12', 'US', '+12125550199'],
  ])('%s (%s) → %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toBe(e164);
  });

  it.each([
    ['12345', 'GB'], // too short
    ['07700 900123 1234567', 'GB'], // too long
    ['555-0132', 'US'], // no area code
    ['(015) 555-0132', 'US'], // NANP area codes never start with 0/1
    ['+1234567890123456', 'GB'], // more than 15 digits
    ['call me maybe', 'GB'],
    ['07700 900123', 'XX'], // unknown country and no international prefix
  ])('rejects %s (%s)', (raw, country) => {
    expect(normalisePhone(raw, country)).toBeUndefined();
  });
});

describe('extractPhone', () => {
  it('finds a number inside a sentence', () => {
    expect(extractPhone('you can reach me on 07700 900123 after 5pm', 'GB')).toBe('+447700900123');
    expect(extractPhone('My cell is (415) 555-0132.', 'US')).toBe('+14155550132');
  });

  it('ignores dates, times, prices and short numbers', () => {
    expect(extractPhone('booked for 2024-05-01 at 10:30, it cost £1200000', 'GB')).toBeUndefined();
    expect(extractPhone('open 09:00-17:30, pain for 3 days', 'GB')).toBeUndefined();
  });
});

describe('emails', () => {
  it('extracts and lower-cases', () => {
    expect(extractEmail('mail me at Sam.Smith@Example.co.uk.')).toBe('sam.smith@example.co.uk');
    expect(extractEmail('email: ana+citas@correo.es gracias')).toBe('ana+citas@correo.es');
  });

  it('rejects malformed addresses', () => {
    expect(extractEmail('a@b')).toBeUndefined();
    expect(normaliseEmail('x..y@example.com')).toBeUndefined();
    expect(normaliseEmail('.x@example.com')).toBeUndefined();
    expect(normaliseEmail('not an email')).toBeUndefined();
  });
});

describe('extractLeadFields', () => {
  it('merges fields across visitor messages; later values win; enquiry is the first substantive message', () => {
    const lead = extractLeadFields(
      [
        visitor('Hello!'),
        visitor("Hi, I'm Sam, can I book a consultation? my number is 07700 900123"),
        assistant('Thanks Sam! What email should we use?'),
        visitor('sam@old.example'),
        visitor('actually use SAM@New.Example and call 07700 900456'),
      ],
      'GB',
    );
    expect(lead).toEqual({ name: 'Sam', phone: '+447700900456', email: 'sam@new.example', enquiry: 'Can I book a consultation?' });
  });

  it('ignores outbound messages (our own phone number is not the lead)', () => {
    const lead = extractLeadFields([assistant('Call us on 020 7946 0958, my name is Bot'), visitor('need a quote for a boiler')], 'GB');
    expect(lead).toEqual({ enquiry: 'Need a quote for a boiler' });
  });

  it('takes a bare name when we just asked for it', () => {
    const lead = extractLeadFields(
      [visitor('Need a quote please for a new boiler'), assistant('Could I take your name?'), visitor('sam smith')],
      'GB',
    );
    expect(lead.name).toBe('Sam Smith');
    const withNumber = extractLeadFields(
      [visitor('Need a quote for a boiler'), assistant('Could I take your name and the best phone number?'), visitor('sam, 07700 900123')],
      'GB',
    );
    expect(withNumber).toMatchObject({ name: 'Sam', phone: '+447700900123' });
    const notAName = extractLeadFields(
      [visitor('Need a quote for a boiler'), assistant('Could I take your name?'), visitor('why do you need it')],
      'GB',
    );
    expect(notAName.name).toBeUndefined();
  });

  it('keeps the enquiry summary to 140 characters without contact details', () => {
    const long = `Hi there, my name is Sam and ${'I would like to know about implants and whitening options '.repeat(5)} my email is sam@x.example`;
    const summary = summariseEnquiry(long, 'GB') ?? '';
    expect(summary.length).toBeLessThanOrEqual(140);
    expect(summary).toMatch(/^I would like to know about implants/);
    expect(summary).not.toContain('@');
    expect(summariseEnquiry('07700 900123', 'GB')).toBeUndefined();
    expect(summariseEnquiry('Hello!', 'GB')).toBeUndefined();
  });
});

describe('email extraction on hostile input', () => {
  // Not a speed measurement: the old whole-text regex was quadratic (5.8 s at 80k characters, minutes at
  // 200k); the bound below is ~100× what the linear scan needs, so only a complexity regression can hit it.
  it('stays linear over long runs of address characters and many @ signs', () => {
    const hostile = [
      'a'.repeat(200_000),
      `${'a.'.repeat(50_000)}@`,
      `${'x@'.repeat(50_000)}`,
      `${'a'.repeat(100_000)}@${'b'.repeat(100_000)}`,
    ];
    const started = performance.now();
    for (const text of hostile) expect(extractEmail(text)).toBeUndefined();
    expect(extractEmail(`${'a'.repeat(100_000)} write to me at sam.lee@example.co.uk.`)).toBe('sam.lee@example.co.uk');
    expect(extractLeadFields([visitor(`${'z'.repeat(100_000)} jo@example.com`)], 'GB').email).toBe('jo@example.com');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('finds addresses where the old pattern did: after punctuation, before trailing dots and digits', () => {
    expect(extractEmail('mail: (jo.b+x@mail.example.org), thanks')).toBe('jo.b+x@mail.example.org');
    expect(extractEmail('jo@example.com.')).toBe('jo@example.com');
    expect(extractEmail('jo@example.com2')).toBe('jo@example.com');
    expect(extractEmail('first@a@example.com')).toBe('a@example.com');
    expect(extractEmail('no address here @ all')).toBeUndefined();
  });
});
