import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { DEFAULT_REPLY, startFakeOpenAI, type FakeOpenAI } from '../../../sandbox/fakes/openai.js';

const SYSTEM = 'You are LuxLeads, a concierge for Lux Villas. Reply in JSON.';

describe('fake OpenAI with the real openai v6 client', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  const ask = (text = 'Hi, is the villa free in June?') =>
    client.chat.completions.create({
      model: 'gpt-4o-mini',
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: text },
      ],
    });

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-test' });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.setResponder(() => DEFAULT_REPLY);
  });

  it('returns a well-formed chat completion with the default JSON reply', async () => {
    const completion = await ask();
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', id: expect.stringMatching(/^chatcmpl-/) });
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant' } });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ reply: 'Thanks for your message!' });
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('records the request so tests can inspect the system prompt', async () => {
    await ask('I need 3 bedrooms');
    expect(fake.systemPrompt()).toBe(SYSTEM);
    expect(fake.lastRequest()?.messages.at(-1)).toEqual({ role: 'user', content: 'I need 3 bedrooms' });
    expect(fake.requests()).toHaveLength(1);
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('uses a programmable responder that sees the request', async () => {
    fake.setResponder(async (req) => JSON.stringify({ reply: `echo: ${String(req.messages.at(-1)?.content)}` }));
    const completion = await ask('ping');
    expect(completion.choices[0]!.message.content).toBe('{"reply":"echo: ping"}');
    fake.respondWithJson({ reply: 'fixed', lead: { email: 'a@b.co' } });
    expect(JSON.parse((await ask()).choices[0]!.message.content!)).toEqual({ reply: 'fixed', lead: { email: 'a@b.co' } });
  });

  it('works with chat.completions.parse and a zod response format', async () => {
    fake.respondWithJson({ reply: 'Sure!', wantsCall: true });
    const parsed = await client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'call me' }],
      response_format: zodResponseFormat(z.object({ reply: z.string(), wantsCall: z.boolean() }), 'bot_reply'),
    });
    expect(parsed.choices[0]!.message.parsed).toEqual({ reply: 'Sure!', wantsCall: true });
    expect(fake.lastRequest()?.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'bot_reply' } });
  });

  it('returns invalid JSON exactly once', async () => {
    fake.respondInvalidJsonOnce();
    const broken = (await ask()).choices[0]!.message.content!;
    expect(() => JSON.parse(broken)).toThrow();
    expect(JSON.parse((await ask()).choices[0]!.message.content!)).toEqual({ reply: 'Thanks for your message!' });
  });

  it('surfaces injected failures as SDK errors', async () => {
    fake.failNext({ path: /chat\/completions/, status: 429 });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    fake.failNext({ status: 500 });
    await expect(ask()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect((await ask()).choices[0]!.message.content).toBe(DEFAULT_REPLY);
  });

  it('lets the SDK retry a 500 and succeed', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 2 });
    fake.failNext({ status: 500, times: 2, headers: { 'retry-after-ms': '10' } });
    const completion = await retrying.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe(DEFAULT_REPLY);
    expect(fake.requests()).toHaveLength(3);
  });

  it('trips the client timeout when responses are delayed', async () => {
    fake.delayAll(500);
    const impatient = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0, timeout: 100 });
    await expect(
      impatient.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('rejects a wrong API key with AuthenticationError', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    await expect(
      wrong.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('validates model and messages like the API', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] })).rejects.toThrow(/messages/);
  });

  it('streams when asked', async () => {
    fake.respondWithJson({ reply: 'streamed' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toBe('{"reply":"streamed"}');
    expect(sawUsage).toBe(true);
  });
});
