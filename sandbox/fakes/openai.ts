/**
 * Fake OpenAI Chat Completions API for the real `openai` v6 client.
 *
 * Point the client at it: `new OpenAI({ apiKey: 'sk-test', baseURL: fake.url + '/v1' })`
 * (app config: OPENAI_BASE_URL=<fake.url>/v1). Pass `maxRetries: 0` when a test wants injected
 * 5xx/429 failures to surface instead of being retried (the SDK retries twice by default, with
 * backoff of ~0.5–8 s unless the fault sets a `retry-after-ms` header).
 */
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import {
  bearerToken,
  dispatch,
  randomId,
  startRecordingServer,
  type FakeReply,
  type RecordedCall,
  type RecordingServer,
} from './recording-server.js';

export type ChatRequest = ChatCompletionCreateParams;
export type Responder = (request: ChatRequest) => string | Promise<string>;

export const DEFAULT_REPLY = JSON.stringify({ reply: 'Thanks for your message!' });
const CHAT_PATH = /^\/v1\/chat\/completions$/;

export type FakeOpenAI = RecordingServer & {
  /** Replace how every following completion's content is produced. */
  setResponder(fn: Responder): void;
  /** Every following completion returns `JSON.stringify(obj)`. */
  respondWithJson(obj: unknown): void;
  /** Only the next completion uses `fn` (or this fixed string); queued one-shots run in order. */
  respondOnce(fnOrContent: Responder | string): void;
  /** The next completion's content is truncated, unparseable JSON; later ones are normal again. */
  respondInvalidJsonOnce(): void;
  /** Bodies of every POST /v1/chat/completions received (including ones answered by a fault). */
  requests(): ChatRequest[];
  lastRequest(): ChatRequest | undefined;
  /** The system message text of a request (default: the last one). */
  systemPrompt(request?: ChatRequest): string | undefined;
};

export type FakeOpenAIOptions = {
  port?: number;
  host?: string;
  /** Require exactly this key (default: any non-empty Bearer). */ apiKey?: string;
};

const openAIError = (status: number, message: string, type: string, code: string | null, param: string | null = null): FakeReply => ({
  status,
  body: { error: { message, type, param, code } },
});

/** Rough token count so `usage` looks plausible; nothing should depend on its exact value. */
const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

const contentText = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('')
      : '';

export const startFakeOpenAI = async (options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> => {
  let responder: Responder = () => DEFAULT_REPLY;
  const oneShots: Responder[] = [];

  const requests = (calls: RecordedCall[]) =>
    calls.filter((c) => c.method === 'POST' && CHAT_PATH.test(c.path)).map((c) => c.body as ChatRequest);

  const checkAuth = (call: RecordedCall): FakeReply | undefined => {
    const key = bearerToken(call);
    if (!key)
      return openAIError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
        'invalid_request_error',
        null,
      );
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return openAIError(
        401,
        `Incorrect API key provided: ${key.slice(0, 6)}***. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      );
    }
    return undefined;
  };

  const completion = async (call: RecordedCall): Promise<FakeReply> => {
    const authError = checkAuth(call);
    if (authError) return authError;
    const request = call.body as ChatRequest | undefined;
    if (!request || typeof request !== 'object')
      return openAIError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
    if (!request.model)
      return openAIError(400, "Missing required parameter: 'model'.", 'invalid_request_error', 'missing_required_parameter', 'model');
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      return openAIError(
        400,
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        'invalid_request_error',
        'empty_array',
        'messages',
      );
    }
    const content = await (oneShots.shift() ?? responder)(request);
    const id = `chatcmpl-${randomId(29)}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = approxTokens(request.messages.map((m) => contentText(m.content)).join('\n'));
    const completionTokens = approxTokens(content);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const common = { id, created, model: request.model, system_fingerprint: 'fp_fake', service_tier: 'default' };
    if (request.stream) {
      // Streaming: one role chunk, one content chunk, one finish chunk, optional usage chunk, then [DONE].
      const chunk = (choices: unknown[], extra: object = {}) =>
        `data: ${JSON.stringify({ ...common, object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
      const events = [
        chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
        chunk([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]),
        chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
        ...(request.stream_options?.include_usage ? [chunk([], { usage })] : []),
        'data: [DONE]\n\n',
      ];
      return { raw: events.join(''), headers: { 'content-type': 'text/event-stream; charset=utf-8' } };
    }
    return {
      body: {
        ...common,
        object: 'chat.completion',
        choices: [
          { index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' },
        ],
        usage,
      },
    };
  };

  const server = await startRecordingServer({
    name: 'fake OpenAI',
    port: options.port,
    host: options.host,
    handle: (call) =>
      dispatch([['POST', CHAT_PATH, (c) => completion(c)]], call, (c) =>
        openAIError(404, `Invalid URL (${c.method} ${c.path})`, 'invalid_request_error', null),
      ),
    faultBody: (status) =>
      status === 429
        ? {
            error: {
              message: 'Rate limit reached for gpt-4o-mini (injected).',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          }
        : {
            error: {
              message: `The server had an error while processing your request (injected ${status}).`,
              type: 'server_error',
              param: null,
              code: null,
            },
          },
    debugState: () => ({ requests: requests(server.calls).length }),
    // Leftover one-shot answers would leak into the next test; the persistent responder is kept.
    onReset: () => {
      oneShots.length = 0;
    },
  });

  return Object.assign(server, {
    setResponder: (fn: Responder) => {
      responder = fn;
    },
    respondWithJson: (obj: unknown) => {
      const text = JSON.stringify(obj);
      responder = () => text;
    },
    respondOnce: (fnOrContent: Responder | string) => {
      oneShots.push(typeof fnOrContent === 'string' ? () => fnOrContent : fnOrContent);
    },
    respondInvalidJsonOnce: () => {
      oneShots.push(() => '{"reply": "Thanks for your mess');
    },
    requests: () => requests(server.calls),
    lastRequest: () => requests(server.calls).at(-1),
    systemPrompt: (request?: ChatRequest) => {
      const target = request ?? requests(server.calls).at(-1);
      const system = target?.messages.find((m) => m.role === 'system' || m.role === 'developer');
      return system ? contentText(system.content) : undefined;
    },
  });
};
