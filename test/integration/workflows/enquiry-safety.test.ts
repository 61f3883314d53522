/**
 * Regulated and dangerous enquiries through the whole product (webhook dispatcher → ConversationWorkflow →
 * responder → Send API → notifications), with the offline responder and with a model that gives advice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeAdvice } from '../../../ai/advice-guard.js';
import type { ChatRequest } from '../../../sandbox/fakes/openai.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { modelOutput } from '../../../sandbox/fakes/model-output.js';
import { createNotifiedBusiness, customerSays, emailsTo, keyOf, whatsAppTo } from '../../helpers/notification-fixtures.js';

type Scenario = {
  name: string;
  text: string;
  specialist: string;
  urgency: 'high' | 'emergency';
  adviceFromModel: string;
  modelSays: 'none' | 'medical' | 'legal' | 'financial' | 'emergency';
};

const SCENARIOS: Scenario[] = [
  {
    name: 'medical',
    specialist: 'medical',
    urgency: 'high',
    modelSays: 'medical',
    text: "I've had swelling and a fever since my extraction, should I take more ibuprofen?",
    adviceFromModel: 'Yes, you should take 400mg of ibuprofen every 4 hours and rinse with warm salt water.',
  },
  {
    name: 'legal',
    specialist: 'legal',
    urgency: 'high',
    modelSays: 'none',
    text: 'My landlord kept my deposit and is evicting me next week. Can I sue him? What are my rights?',
    adviceFromModel: 'You have a strong case: legally, you are entitled to your deposit back, so you should sue him.',
  },
  {
    name: 'financial',
    specialist: 'financial',
    urgency: 'high',
    modelSays: 'financial',
    text: 'Should I put my savings into crypto or pay off my mortgage first? Is it a good investment?',
    adviceFromModel: 'Crypto is a great investment with guaranteed returns; you should invest your savings now.',
  },
  {
    name: 'emergency',
    specialist: 'emergency',
    urgency: 'emergency',
    modelSays: 'medical',
    text: "my husband is having chest pains and can't breathe",
    adviceFromModel: 'I recommend taking an aspirin and lying down; it is probably just indigestion.',
  },
];

const adviceGiven = new Set<string>();

/** The fake model answers every scenario with confident advice (and, for legal, misses the specialist flag). */
const adviceGivingModel = (request: ChatRequest) => {
  const transcript = JSON.stringify(request.messages);
  const s = SCENARIOS.find((x) => transcript.includes(JSON.stringify(x.text.slice(0, 30)).slice(1, -1)));
  if (s) adviceGiven.add(s.name);
  return JSON.stringify(
    modelOutput({
      reply: s?.adviceFromModel ?? 'Happy to help!',
      specialist: s?.modelSays ?? 'none',
      urgency: 'normal',
      needsHuman: false,
    }),
  );
};

describe.each([
  { responder: 'offline', withOpenAI: false },
  { responder: 'OpenAI giving advice', withOpenAI: true },
])('specialist and emergency enquiries, $responder responder', ({ withOpenAI }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(`enquiry-safety-${withOpenAI ? 'openai' : 'offline'}`, { withOpenAI, withResend: true, withWhatsApp: true });
    h.openai?.setResponder(adviceGivingModel);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(SCENARIOS)('$name: no advice, lead captured, flagged for review, business alerted as URGENT', async (s) => {
    const b = await createNotifiedBusiness(h);
    const psid = `psid-${s.name}-${withOpenAI ? 'ai' : 'off'}`;
    await customerSays(h, b, psid, s.text, 'messenger');
    const [reply] = await eventually(() => h.graph.messagesTo(psid).length > 0 && h.graph.messagesTo(psid), {
      what: 'reply sent',
      timeoutMs: 30_000,
    });

    if (withOpenAI) {
      // One completion, parsed fine: the safe reply comes from the advice guard, not from a parse-failure fallback.
      expect(adviceGiven.has(s.name)).toBe(true);
      expect(
        h.openai!.requests().filter((r) => JSON.stringify(r.messages).includes(JSON.stringify(s.text.slice(0, 30)).slice(1, -1))),
      ).toHaveLength(1);
    }
    expect(looksLikeAdvice(reply!)).toBe(false);
    expect(reply).not.toMatch(/ibuprofen|aspirin|\bsue\b|invest your|guaranteed/i);
    expect(reply).toMatch(new RegExp(`not able to give|can't give|cannot give`, 'i'));
    if (s.specialist === 'emergency') expect(reply).toMatch(/^If anyone is in danger.*call 999/);
    if (s.specialist === 'medical') expect(reply).toContain('999');

    const conversationId = h.dispatcher.workflowIdFor(keyOf(b, psid, 'messenger'));
    const conv = await eventually(() => h.models.Conversation.findById(conversationId).lean(), { what: 'conversation' });
    expect(conv).toMatchObject({ needsReview: true, reviewReason: s.specialist === 'emergency' ? 'emergency' : 'specialist' });
    const lead = await eventually(() => h.models.Lead.findOne({ businessId: b.id }).lean(), { what: 'lead' });
    expect(lead).toMatchObject({ specialist: s.specialist, urgency: s.urgency, needsHuman: true });
    expect(lead!.enquiry).toBeTruthy();

    const urgentEmail = await eventually(() => emailsTo(h, b.email).find((e) => e.subject.startsWith('URGENT lead')), {
      what: 'URGENT email',
    });
    expect(urgentEmail.subject).toContain(`(${s.urgency})`);
    if (s.specialist === 'emergency') expect(urgentEmail.text).toContain('emergency services');
    const urgentTemplate = await eventually(
      () => whatsAppTo(h, b.numbers[0]!).find((m) => m.template?.parameters[3]?.startsWith('URGENT lead')),
      { what: 'URGENT WhatsApp' },
    );
    expect(urgentTemplate.template!.parameters[4]).toBe(s.urgency);
    expect(urgentTemplate.template!.parameters.join(' ')).toMatch(/emergency|high/);
    await eventually(() => emailsTo(h, b.email).some((e) => e.subject.startsWith('Specialist review needed')), {
      what: 'specialist review email',
    });
  });
});
