// The OpenAI path against a tiny local OpenAI-compatible server, using the real SDK client.
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { respondOffline } from '../../ai/offline-responder.js';
import { InvalidModelOutputError, respondWithOpenAI } from '../../ai/openai-responder.js';
import { respond, safeFallbackReply } from '../../ai/respond.js';
import { dentalGB, input, samBookingOutput } from './fixtures.js';

type ScriptedResponse = { status?: number; content?: string | null; delayMs?: number };
type ChatRequestBody = {
  model: string;
  temperature: number;
  messages: { role: string; content: string }[];
  response_format: { type: string; json_schema: { name: string; strict: boolean; schema: unknown } };
};

/** Answers POST /v1/chat/completions with the scripted responses, in order; records every request body. */
async function startFakeOpenAI(script: ScriptedResponse[]) {
  const requests: ChatRequestBody[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(body) as ChatRequestBody;
      requests.push(request);
      const step = script.shift() ?? { status: 500 };
      const send = () => {
        const status = step.status ?? 200;
        res.writeHead(status, { 'content-type': 'application/json' });
        if (status !== 200) {
          res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
          return;
        }
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: 1717400000,
            model: request.model,
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                logprobs: null,
                message: { role: 'assistant', content: step.content ?? null, refusal: null },
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
      };
      if (step.delayMs) setTimeout(send, step.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  // Default SDK retries left on purpose: the responder must disable them per request.
  return { client: new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1` }), requests, close };
}

let fake: Awaited<ReturnType<typeof startFakeOpenAI>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SAM = "Hi, I'm Sam, can I book a consultation? my number is 07700 900123";
const MEDICAL = "I've had terrible tooth pain and swelling for 3 days, what antibiotics should I take?";
const json = (overrides: Record<string, unknown> = {}) => JSON.stringify(samBookingOutput(overrides));

describe('respondWithOpenAI', () => {
  it('valid JSON: one request with the strict schema, validated and merged result', async () => {
    fake = await startFakeOpenAI([{ content: json() }]);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM));
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request).toMatchObject({
      model: 'gpt-test',
      temperature: 0.3,
      response_format: { type: 'json_schema', json_schema: { name: 'assistant_output', strict: true } },
    });
    expect(request?.messages[0]?.role).toBe('system');
    expect(request?.messages.at(-1)).toEqual({ role: 'user', content: SAM });
    expect(result).toMatchObject({
      source: 'openai',
      enquiryType: 'appointment',
      needsHuman: false,
      lead: { name: 'Sam', phone: '+447700900123', enquiry: 'Wants to book a consultation' },
      intents: { wantsBooking: true, wantsHuman: false },
    });
    expect(result.reply).toContain('https://brightsmile.example/book');
    expect(result.quickReplies[0]).toEqual({ title: 'Book now', payload: 'BOOK' });
  });

  it('invalid JSON once, then valid: retries with a corrective message (2 requests)', async () => {
    fake = await startFakeOpenAI([{ content: 'Sure! Happy to help.' }, { content: json() }]);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM));
    expect(fake.requests).toHaveLength(2);
    const retryMessages = fake.requests[1]?.messages ?? [];
    expect(retryMessages.at(-2)).toEqual({ role: 'assistant', content: 'Sure! Happy to help.' });
    expect(retryMessages.at(-1)?.content).toMatch(/previous response was invalid: not valid JSON/);
    expect(result.source).toBe('openai');
  });

  it('invalid twice: throws InvalidModelOutputError', async () => {
    fake = await startFakeOpenAI([{ content: '{"reply": 1}' }, { content: json({ urgency: 'critical' }) }]);
    const error = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidModelOutputError);
    expect((error as InvalidModelOutputError).attempts).toBe(2);
    expect(fake.requests).toHaveLength(2);
  });

  it('model giving medical advice is replaced by the safe specialist reply and flagged', async () => {
    const advice =
      "Sorry to hear that! You should take 500mg amoxicillin three times a day and ibuprofen for the swelling. I'm the automated assistant.";
    fake = await startFakeOpenAI([
      {
        content: json({
          reply: advice,
          specialist: 'none',
          urgency: 'normal',
          needsHuman: false,
          lead: { name: null, phone: null, email: null, enquiry: null },
        }),
      },
    ]);
    const request = input(dentalGB, MEDICAL);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', request);
    expect(result.reply).toBe(respondOffline(request).reply);
    expect(result.reply).not.toMatch(/amoxicillin|ibuprofen|mg/i);
    expect(result).toMatchObject({ source: 'openai', specialist: 'medical', needsHuman: true, humanReason: 'specialist', urgency: 'high' });
  });

  it('emergency: the emergency number is added if the model forgot it', async () => {
    fake = await startFakeOpenAI([
      { content: json({ reply: "I'm the automated assistant. I've told the team.", urgency: 'normal', specialist: 'none' }) },
    ]);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, 'my child swallowed bleach'));
    expect(result.reply).toMatch(/^If anyone is in danger, please call 999 now\./);
    expect(result).toMatchObject({ urgency: 'emergency', specialist: 'emergency', needsHuman: true, humanReason: 'emergency' });
  });

  it('first reply without a disclosure gets one prepended', async () => {
    fake = await startFakeOpenAI([{ content: json({ reply: 'Sure, you can book here: https://brightsmile.example/book' }) }]);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM));
    expect(result.reply).toBe(
      "I'm the automated assistant for Bright Smile Dental. Sure, you can book here: https://brightsmile.example/book",
    );
  });

  it('contact details the visitor never wrote are not trusted; invalid ones fall back to pattern extraction', async () => {
    fake = await startFakeOpenAI([
      { content: json({ lead: { name: 'John', phone: '+44 7911 123456', email: 'not-an-email', enquiry: null } }) },
    ]);
    const result = await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM));
    expect(result.lead).toEqual({ name: 'Sam', phone: '+447700900123', enquiry: 'Can I book a consultation?' });
  });

  it("keeps the model's own handover decision when it is unsure", async () => {
    fake = await startFakeOpenAI([{ content: json({ needsHuman: true, humanReason: 'unsure' }) }]);
    expect(await respondWithOpenAI(fake.client, 'gpt-test', input(dentalGB, SAM))).toMatchObject({
      needsHuman: true,
      humanReason: 'unsure',
    });
  });
});

describe('respond', () => {
  it('uses OpenAI when configured', async () => {
    fake = await startFakeOpenAI([{ content: json() }]);
    expect((await respond(input(dentalGB, SAM), { openai: { client: fake.client, model: 'gpt-test' } })).source).toBe('openai');
  });

  it('invalid output twice → offline reply marked as fallback', async () => {
    fake = await startFakeOpenAI([{ content: 'nope' }, { content: 'still nope' }]);
    const errors: unknown[] = [];
    const result = await respond(input(dentalGB, SAM), {
      openai: { client: fake.client, model: 'gpt-test' },
      onFallback: (e) => errors.push(e),
    });
    expect(result).toEqual({ ...respondOffline(input(dentalGB, SAM)), source: 'fallback' });
    expect(errors[0]).toBeInstanceOf(InvalidModelOutputError);
  });

  it('HTTP 500 → fallback after a single request (no SDK retry storm)', async () => {
    fake = await startFakeOpenAI([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const result = await respond(input(dentalGB, SAM), { openai: { client: fake.client, model: 'gpt-test' } });
    expect(result.source).toBe('fallback');
    expect(result.reply).toContain('https://brightsmile.example/book');
    expect(fake.requests).toHaveLength(1);
  });

  it('timeout → fallback', async () => {
    fake = await startFakeOpenAI([{ content: json(), delayMs: 2_000 }]);
    const started = Date.now();
    const result = await respond(input(dentalGB, SAM), { openai: { client: fake.client, model: 'gpt-test', timeoutMs: 200 } });
    expect(result.source).toBe('fallback');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('network failure (nothing listening) → fallback', async () => {
    const client = new OpenAI({ apiKey: 'test', baseURL: 'http://127.0.0.1:9/v1' });
    expect((await respond(input(dentalGB, SAM), { openai: { client, model: 'gpt-test' } })).source).toBe('fallback');
  });

  it('without OpenAI it answers offline', async () => {
    expect((await respond(input(dentalGB, SAM), {})).source).toBe('offline');
  });

  it('safeFallbackReply needs only the business name and discloses automation', () => {
    expect(safeFallbackReply(dentalGB)).toBe(
      "Thanks for your message! I'm the automated assistant for Bright Smile Dental. A member of the team will get back to you here as soon as possible.",
    );
  });
});

describe('respond when even the offline responder fails', () => {
  it('returns the fixed safe reply and asks for a human', async () => {
    const broken = { ...input(dentalGB, SAM), transcript: null } as unknown as Parameters<typeof respond>[0];
    expect(await respond(broken, {})).toMatchObject({
      reply: safeFallbackReply(dentalGB),
      needsHuman: true,
      humanReason: 'unsure',
      source: 'fallback',
    });
  });
});
