import { describe, expect, it } from 'vitest';
import { respondOffline } from '../../ai/offline-responder.js';
import { assistant, dentalGB, input, lawFirmUS, plumberAU, salonES, SATURDAY_EVENING_LONDON, visitor } from './fixtures.js';

// Regulated-advice words that must never appear in a safe reply.
const ADVICE_WORDS =
  /antibiotic|amoxicillin|ibuprofen|paracetamol|\bdose|dosage|\d+\s?mg|you should take|legally you|you can sue|invest in/i;

describe('respondOffline', () => {
  it('books Sam: name, E.164 phone, booking intent, booking link and disclosure', () => {
    const result = respondOffline(input(dentalGB, "Hi, I'm Sam, can I book a consultation? my number is 07700 900123"));
    expect(result.lead).toEqual({ name: 'Sam', phone: '+447700900123', enquiry: 'Can I book a consultation?' });
    expect(result.intents).toEqual({ wantsHuman: false, wantsDeletion: false, wantsStop: false, wantsBooking: true });
    expect(result.reply).toMatch(/^Hi Sam! I'm the automated assistant for Bright Smile Dental\./);
    expect(result.reply).toContain('https://brightsmile.example/book');
    expect(result.reply).not.toMatch(/phone number or email/); // already have the phone
    expect(result.quickReplies).toEqual([
      { title: 'Book now', payload: 'BOOK' },
      { title: 'Talk to a person', payload: 'HUMAN' },
    ]);
    expect(result).toMatchObject({
      enquiryType: 'appointment',
      urgency: 'normal',
      specialist: 'none',
      needsHuman: false,
      source: 'offline',
    });
  });

  it('asks for a missing contact detail, and acknowledges a name given later', () => {
    const first = respondOffline(input(dentalGB, 'Do you do Invisalign?'));
    expect(first.reply).toContain('Could I take your name and the best phone number or email to reach you?');
    const later = respondOffline(
      input(dentalGB, [visitor('Do you do Invisalign?'), assistant(first.reply), visitor("I'm Priya, priya@example.com")], {
        isFirstReply: false,
      }),
    );
    expect(later.reply).toMatch(/^Thanks, Priya!/);
    expect(later.reply).not.toContain('automated assistant');
    expect(later.lead).toMatchObject({ name: 'Priya', email: 'priya@example.com' });
  });

  it('medical question: flagged for a human, no advice', () => {
    const result = respondOffline(input(dentalGB, "I've had terrible tooth pain and swelling for 3 days, what antibiotics should I take?"));
    expect(result).toMatchObject({ specialist: 'medical', needsHuman: true, humanReason: 'specialist', urgency: 'high' });
    expect(result.reply).toMatch(/not able to give medical advice/);
    expect(result.reply).toMatch(/review it personally/);
    expect(result.reply).not.toMatch(ADVICE_WORDS);
  });

  it('emergency: tells them to call 999 (GB) first, no booking button', () => {
    const result = respondOffline(input(dentalGB, 'my child swallowed bleach'));
    expect(result).toMatchObject({ urgency: 'emergency', specialist: 'emergency', needsHuman: true, humanReason: 'emergency' });
    expect(result.reply).toMatch(/^If anyone is in danger or seriously unwell, please call 999 now\./);
    expect(result.reply).toContain("I'm the automated assistant for Bright Smile Dental.");
    expect(result.reply).not.toMatch(/phone number or email/);
    expect(result.quickReplies.map((q) => q.payload)).not.toContain('BOOK');
  });

  it('emergency number follows the business country', () => {
    expect(respondOffline(input(lawFirmUS, "someone is hurt and can't breathe")).reply).toContain('call 911 now');
    expect(respondOffline(input(plumberAU, 'I can smell gas in the kitchen')).reply).toContain('call 000 now');
    expect(respondOffline(input(salonES, 'Mi hijo se tragó lejía')).reply).toContain('call 112 now');
  });

  it('legal and financial questions get no advice and are flagged', () => {
    const legal = respondOffline(input(lawFirmUS, 'Can I sue my landlord for keeping my deposit? bob@example.com'));
    expect(legal).toMatchObject({ specialist: 'legal', needsHuman: true, enquiryType: 'property_law' });
    expect(legal.reply).toMatch(/not able to give legal advice/);
    expect(legal.reply).toContain('And what name should I pass on to the team?');
    const financial = respondOffline(input(dentalGB, 'Should I invest my savings in crypto to pay for implants?'));
    expect(financial).toMatchObject({ specialist: 'financial', needsHuman: true });
    expect(financial.reply).toMatch(/not able to give financial advice/);
    for (const result of [legal, financial]) expect(result.reply).not.toMatch(ADVICE_WORDS);
  });

  it('human request while closed says when the team will reply', () => {
    const result = respondOffline(input(dentalGB, 'Can I speak to a real person?', { now: SATURDAY_EVENING_LONDON }));
    expect(result).toMatchObject({ needsHuman: true, humanReason: 'requested', intents: { wantsHuman: true } });
    expect(result.reply).toContain('a member of the team will reply here when we reopen on Monday at 09:00');
    expect(result.quickReplies.map((q) => q.payload)).not.toContain('HUMAN');
  });

  it('human request while open: the team will reply here soon', () => {
    const result = respondOffline(input(dentalGB, 'talk to someone please', { isFirstReply: false }));
    expect(result.reply).toContain('a member of the team will reply here as soon as they can');
  });

  it('closed: says when the business reopens (relative to its own date)', () => {
    expect(respondOffline(input(dentalGB, 'Do you do Invisalign?', { now: SATURDAY_EVENING_LONDON })).reply).toContain(
      "We're closed right now, so the team will reply when we reopen on Monday at 09:00.",
    );
    expect(respondOffline(input(plumberAU, 'My kitchen tap is dripping')).reply).toContain('reopen tomorrow at 07:00');
    expect(respondOffline(input(lawFirmUS, 'I need help with a will')).reply).toContain('reopen later today at 09:00');
  });

  it('deletion request is acknowledged without asking for more data', () => {
    const result = respondOffline(
      input(dentalGB, [visitor('Hi I need a quote'), assistant('Hi!'), visitor('Please delete my data')], { isFirstReply: false }),
    );
    expect(result.intents.wantsDeletion).toBe(true);
    expect(result.reply).toBe(
      "I've noted your request to delete your data; the Bright Smile Dental team will handle it and confirm with you.",
    );
  });

  it('stop: short acknowledgement and no quick replies', () => {
    const result = respondOffline(input(dentalGB, 'STOP', { isFirstReply: false }));
    expect(result.intents.wantsStop).toBe(true);
    expect(result.reply).toBe("Understood — you won't receive any more automated messages from us here.");
    expect(result.quickReplies).toEqual([]);
  });

  it('pricing: quotes only the business pricing text, or promises the team will confirm', () => {
    expect(respondOffline(input(dentalGB, 'How much is whitening?')).reply).toContain(
      'Our prices: Check-up £55; hygienist visit £75; whitening from £299.',
    );
    const noPrices = respondOffline(input(lawFirmUS, 'What are your fees?'));
    expect(noPrices.reply).toContain("I don't have exact prices to hand, so the team will confirm the cost with you.");
    expect(noPrices.reply).not.toMatch(/[$£€]\s?\d/);
  });

  it('opening hours: lists the hours whether open or closed, or promises the team will confirm them', () => {
    const open = respondOffline(input(dentalGB, 'What time do you open on Monday?'));
    expect(open.reply).toContain('Our opening hours are Mon–Fri 09:00–17:30, Sat 10:00–14:00.');
    const closed = respondOffline({ ...input(dentalGB, 'What are your opening hours?'), now: SATURDAY_EVENING_LONDON });
    expect(closed.reply).toContain('Our opening hours are Mon–Fri 09:00–17:30, Sat 10:00–14:00.');
    expect(closed.reply).toContain("We're closed right now");
    const noHours = respondOffline(input({ ...dentalGB, workingHours: [] }, 'When are you open?'));
    expect(noHours.reply).toContain("I don't have our opening hours to hand");
  });

  it('booking without a link promises the team will confirm a time; Calendly counts as a link', () => {
    expect(respondOffline(input(plumberAU, 'Can I book someone for Thursday?')).reply).toContain(
      "I'll pass your booking request to the team",
    );
    expect(respondOffline(input(lawFirmUS, 'Can I book a consultation?')).reply).toContain('https://calendly.example/harper-cole/intro');
  });

  it('non-English business: English reply with a language note', () => {
    const result = respondOffline(input(salonES, 'Hola, me llamo Ana, ¿cuánto cuesta un corte?'));
    expect(result.lead.name).toBe('Ana');
    expect(result.enquiryType).toBe('pricing');
    expect(result.reply).toContain('Corte 25 €, color desde 45 €.');
    expect(result.reply).toContain('(This is an automatic reply in English; the team can continue in Spanish.)');
  });

  it('a bare greeting gets a question, not a data grab', () => {
    expect(respondOffline(input(dentalGB, 'Hello')).reply).toBe(
      "Hi! I'm the automated assistant for Bright Smile Dental. How can I help today?",
    );
  });

  it('is deterministic and keeps quick replies within platform limits', () => {
    const make = () => input(dentalGB, "Hi, I'm Sam, can I book a consultation? my number is 07700 900123");
    expect(respondOffline(make())).toEqual(respondOffline(make()));
    for (const q of respondOffline(make()).quickReplies) expect(q.title.length).toBeLessThanOrEqual(20);
  });
});
