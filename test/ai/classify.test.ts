import { describe, expect, it } from 'vitest';
import {
  classifyEnquiry,
  detectDeletionRequest,
  detectHoursQuestion,
  detectHumanRequest,
  detectSpecialist,
  detectStop,
} from '../../ai/classify.js';
import { nicheFamily } from '../../ai/taxonomy.js';

describe('specialist detection', () => {
  it.each([
    ["I've had terrible tooth pain and swelling for 3 days, what antibiotics should I take?", 'medical'],
    ['Is it safe to take ibuprofen after an extraction?', 'medical'],
    ['Tengo mucho dolor de muelas', 'medical'],
    ['my child swallowed bleach', 'emergency'],
    ["My dad has chest pain and can't breathe", 'emergency'],
    ['I think there is a gas leak, I can smell gas', 'emergency'],
    ["I'm feeling suicidal", 'emergency'],
    ['Mi hijo se tragó lejía', 'emergency'],
    ['Can I sue my landlord for the deposit?', 'legal'],
    ['What are my rights in a custody case?', 'legal'],
    ['We have a contract dispute with a supplier', 'legal'],
    ['Should I invest my savings in crypto?', 'financial'],
    ['Can you give me tax advice on my pension?', 'financial'],
    ['Necesito asesoramiento fiscal', 'financial'],
    ['Do you help with a visa application?', 'other_regulated'],
  ])('%s → %s', (text, kind) => {
    expect(detectSpecialist(text)).toBe(kind);
  });

  it.each([
    'Can I book a check-up next week?',
    'Can you bleed my radiators?',
    'Do you have a squash court I can book?',
    'Can I pay by Visa?',
    'How much is a balayage?',
  ])('no specialist flag for %s', (text) => {
    expect(detectSpecialist(text)).toBe('none');
  });
});

describe('classifyEnquiry', () => {
  it('dental: emergency_dental with medical flag is high urgency', () => {
    expect(
      classifyEnquiry("I've had terrible tooth pain and swelling for 3 days, what antibiotics should I take?", 'dental clinic'),
    ).toEqual({ enquiryType: 'emergency_dental', urgency: 'high', specialist: 'medical' });
  });

  it('emergency phrases make urgency emergency in any niche', () => {
    expect(classifyEnquiry('my child swallowed bleach', 'dental clinic')).toMatchObject({ urgency: 'emergency', specialist: 'emergency' });
    expect(classifyEnquiry("There's a gas leak in the kitchen", 'plumber')).toEqual({
      enquiryType: 'callout',
      urgency: 'emergency',
      specialist: 'emergency',
    });
  });

  it.each([
    ['dental clinic', 'Can I book a check-up?', 'appointment', 'normal'],
    ['dental clinic', 'How much is whitening?', 'pricing', 'normal'],
    ['dental clinic', 'Do you do Invisalign?', 'treatment_question', 'normal'],
    ['law firm', 'I need to book a consultation about a will', 'wills_probate', 'normal'],
    ['law firm', 'Any update on my case? Reference number 1234', 'case_enquiry', 'normal'],
    ['plumber', 'Burst pipe, water everywhere!', 'callout', 'high'],
    ['plumber', 'Could I get a quote for a new boiler?', 'quote', 'normal'],
    ['plumber', 'My kitchen tap is dripping', 'repair', 'normal'],
    ['hair salon', 'Do you do balayage?', 'service_question', 'normal'],
    ['hair salon', 'Quiero reservar una cita para el sábado', 'appointment', 'normal'],
    ['accountant', 'I need help with my self assessment tax return', 'tax_return', 'normal'],
    ['accountant', 'HMRC deadline is tomorrow and I have a penalty', 'deadline', 'high'],
    ['real estate', 'How much is my house worth?', 'valuation', 'normal'],
    ['real estate', 'Can I arrange a viewing of the flat on Elm St?', 'viewing', 'normal'],
    ['fitness', 'Do you have a free trial?', 'trial', 'normal'],
    ['fitness', 'How do I cancel my membership?', 'cancellation', 'normal'],
    ['florist', 'Can I book a delivery for Friday?', 'booking', 'normal'],
    ['florist', 'Are you open on Sunday?', 'availability', 'normal'],
    ['florist', 'I want a refund, the flowers were dead', 'complaint', 'normal'],
    ['florist', 'Do you deliver to Camden?', 'general_question', 'low'],
    ['florist', 'lovely', 'other', 'low'],
    ['florist', 'I need this urgently please', 'other', 'high'],
  ])('%s: %s → %s/%s', (niche, text, type, urgency) => {
    expect(classifyEnquiry(text, niche)).toMatchObject({ enquiryType: type, urgency });
  });

  it('legal and financial questions are flagged and at least high urgency', () => {
    expect(classifyEnquiry('Can I sue my employer for unfair dismissal?', 'law firm')).toEqual({
      enquiryType: 'employment',
      urgency: 'high',
      specialist: 'legal',
    });
    expect(classifyEnquiry('Should I invest in a pension or pay off my loan?', 'accountant')).toMatchObject({
      urgency: 'high',
      specialist: 'financial',
    });
  });

  it('maps niches to families', () => {
    expect(nicheFamily('Dental surgery')).toBe('dental');
    expect(nicheFamily('independent accountant')).toBe('accounting');
    expect(nicheFamily('bodybuilding gym')).toBe('fitness');
    expect(nicheFamily('Estate agent')).toBe('real_estate');
    expect(nicheFamily('florist')).toBe('generic');
  });
});

describe('intent detection', () => {
  it.each([
    'Can I speak to a human?',
    'real person please',
    'talk to someone',
    'I want to speak to a member of your team',
    'agent',
    'Can someone call me?',
    "I don't want to talk to a bot",
    'Quiero hablar con una persona',
    "Je voudrais parler à quelqu'un",
    'Kann ich mit einem Menschen sprechen?',
  ])('human request: %s', (text) => {
    expect(detectHumanRequest(text)).toBe(true);
  });

  it.each(['Is the agent available for a viewing?', 'Are you a human?', 'How many people can attend the class?'])(
    'not a human request: %s',
    (text) => {
      expect(detectHumanRequest(text)).toBe(false);
    },
  );

  it.each([
    'Please delete my data',
    'erase my information',
    'forget me',
    'Remove all my details from your system',
    'Quiero borrar mis datos',
    'Merci de supprimer mes données',
    'Bitte meine Daten löschen',
    'Löschen Sie bitte meine persönlichen Daten',
  ])('deletion request: %s', (text) => {
    expect(detectDeletionRequest(text)).toBe(true);
  });

  it.each([
    'Last one: what time do you open on Monday?',
    'What are your opening hours?',
    'When is the clinic open?',
    'Are you open on Saturday?',
    'When do you close today?',
    'Quels sont vos horaires ?',
    'À quelle heure ouvrez-vous ?',
    '¿A qué hora abren?',
    'Wie sind Ihre Öffnungszeiten?',
  ])('opening-hours question: %s', (text) => {
    expect(detectHoursQuestion(text)).toBe(true);
  });

  it.each(['Can you open a new account for me?', 'The door was open when I left', 'How much is a check-up?'])(
    'not an opening-hours question: %s',
    (text) => {
      expect(detectHoursQuestion(text)).toBe(false);
    },
  );

  it('does not confuse cancelling an appointment with deleting data', () => {
    expect(detectDeletionRequest('Please delete my appointment on Friday')).toBe(false);
  });

  it.each(['STOP', 'stop please', 'Unsubscribe', 'Arrête !', 'para', 'Stopp bitte', 'stop messaging me'])('stop: %s', (text) => {
    expect(detectStop(text)).toBe(true);
  });

  it.each(['stop the leak please', 'para mañana', 'Can you stop by on Friday?', 'Where is the bus stop?'])('not a stop: %s', (text) => {
    expect(detectStop(text)).toBe(false);
  });
});
