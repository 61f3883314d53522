import { describe, expect, it } from 'vitest';
import { leadEventTemplateParams, leadFactsOf, oneLine } from '../../../activities/notifications/content.js';
import { leadEventEmail } from '../../../domain/emails/index.js';

const facts = (enquiry: string, name: string | null = 'Sam <b>Taylor</b>') =>
  leadFactsOf(
    { _id: 'lead_1', name, channel: 'instagram', enquiry, urgency: 'normal', specialist: 'none', phone: '+447700900123' },
    'https://app.example/app/leads/lead_1',
  );

describe('notification content', () => {
  it('keeps WhatsApp parameters on one line, non-empty and at most 200 characters', () => {
    expect(oneLine('a\nb\t\tc      d\r\ne')).toBe('a b c d e');
    expect(oneLine('   ')).toBe('-');
    expect(oneLine(undefined)).toBe('-');
    const long = oneLine('x'.repeat(500));
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
    // Never cuts an emoji (surrogate pair) in half.
    expect(oneLine('😀'.repeat(300))).toBe(`${'😀'.repeat(199)}…`);
  });

  it('builds the six template variables in order, naming an unnamed customer "New customer"', () => {
    const params = leadEventTemplateParams('lead_urgent', 'Bright Smile', facts('Broken tooth\nvery painful', null));
    expect(params).toEqual([
      'Bright Smile',
      'New customer',
      'Instagram',
      'URGENT lead: Broken tooth very painful',
      'normal',
      'https://app.example/app/leads/lead_1',
    ]);
    for (const p of params) expect(p).not.toMatch(/[\n\t]| {5,}/);
  });

  it('renders subjects by kind, and escapes customer text in the HTML part', () => {
    expect(leadEventEmail('lead_created', 'Bright Smile', facts('Check-up')).subject).toBe('New lead: Sam <b>Taylor</b> (Instagram)');
    expect(leadEventEmail('lead_urgent', 'Bright Smile', facts('Check-up')).subject).toMatch(/^URGENT lead: /);
    expect(leadEventEmail('human_requested', 'Bright Smile', facts('Check-up')).subject).toMatch(/^Human requested: /);
    expect(leadEventEmail('specialist_review', 'Bright Smile', facts('Check-up')).subject).toMatch(/^Specialist review needed: /);
    const email = leadEventEmail('lead_created', 'Bright Smile', facts('<script>alert(1)</script>'));
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain('Phone: +447700900123');
    expect(email.text).toContain('https://app.example/app/leads/lead_1');
  });
});
