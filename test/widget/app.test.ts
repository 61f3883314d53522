/** The wiring in app.ts, driven through a fake API and a fake view (no DOM needed). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type WidgetApi } from '../../widget/src/api.js';
import { startApp, type App, type ViewHandlers } from '../../widget/src/app.js';
import type { SessionStore } from '../../widget/src/session.js';
import type { State } from '../../widget/src/state.js';
import type { Message, PollResponse, SessionResponse } from '../../widget/src/types.js';

const config = { businessName: 'Bright Smile', color: '#0e7490', greeting: 'Hi', privacyUrl: 'https://x.test/p', aiDisclosure: true };

interface Deferred<T> {
  resolve(v: T): void;
  reject(e: unknown): void;
}

const setup = (opts: { stored?: string | null; start?: (id?: string | null) => Promise<SessionResponse> } = {}) => {
  let stored = opts.stored ?? null;
  const sessions: SessionStore = { get: () => stored, set: (id) => void (stored = id) };
  const polls: (Deferred<PollResponse> & { args: unknown[] })[] = [];
  const api = {
    startSession: vi.fn(
      opts.start ??
        (async (id?: string | null): Promise<SessionResponse> => ({ sessionId: id ?? 'new', config, messages: [], cursor: 'c0' })),
    ),
    sendMessage: vi.fn<WidgetApi['sendMessage']>(),
    poll: vi.fn(
      (...args: unknown[]) =>
        new Promise<PollResponse>((resolve, reject) => {
          polls.push({ resolve, reject, args });
        }),
    ),
  };
  const renders: State[] = [];
  let handlers: ViewHandlers | null = null;
  const createView = vi.fn((h: ViewHandlers) => {
    handlers = h;
    return { render: (s: State) => void renders.push(s) };
  });
  let n = 0;
  const app: App = startApp({ api, sessions, createView, uuid: () => `uuid-${++n}` });
  return {
    app,
    api,
    polls,
    renders,
    createView,
    stored: () => stored,
    h: () => handlers!,
    last: () => renders[renders.length - 1]!,
  };
};

const reply = (id: string, text = 'Yes we do'): Message => ({
  id,
  direction: 'outbound',
  author: 'assistant',
  text,
  createdAt: '2025-01-01T10:00:00Z',
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startApp', () => {
  it('creates and stores a session id for a new visitor, replacing it with the one the server returns', async () => {
    const t = setup({ start: async () => ({ sessionId: 'srv-session', config, messages: [], cursor: 'c0' }) });
    expect(t.api.startSession).toHaveBeenCalledWith('uuid-1');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.stored()).toBe('srv-session');
    expect(t.createView).toHaveBeenCalledTimes(1);
    expect(t.last()).toMatchObject({ sessionId: 'srv-session', connection: 'online' });
    expect(t.api.poll).toHaveBeenCalledWith('srv-session', 'c0', expect.anything(), 25);
    t.app.poller.stop();
  });

  it('reuses the stored session and restores its history', async () => {
    const history = [reply('m1', 'Welcome back')];
    const t = setup({ stored: 'old', start: async (id) => ({ sessionId: id!, config, messages: history, cursor: 'c7' }) });
    await vi.advanceTimersByTimeAsync(1);
    expect(t.api.startSession).toHaveBeenCalledWith('old');
    expect(t.last().messages.map((m) => m.text)).toEqual(['Welcome back']);
    expect(t.api.poll).toHaveBeenLastCalledWith('old', 'c7', expect.anything(), 25);
    t.app.poller.stop();
  });

  it('sends optimistically, settles on the 202, and dedupes the poll echo', async () => {
    const t = setup({ stored: 's' });
    await vi.advanceTimersByTimeAsync(1);
    const echo: Message = {
      id: 'srv-1',
      clientMessageId: 'uuid-1',
      direction: 'inbound',
      author: 'visitor',
      text: 'Hi there',
      createdAt: '2025-01-01T10:00:00Z',
    };
    t.api.sendMessage.mockResolvedValueOnce({ message: echo });
    expect(t.h().send('   ')).toBe(false);
    expect(t.h().send('x'.repeat(2001))).toBe(false);
    expect(t.h().send('  Hi there ')).toBe(true);
    expect(t.api.sendMessage).toHaveBeenCalledWith('s', 'Hi there', 'uuid-1');
    expect(t.last().messages[0]).toMatchObject({ status: 'sending', text: 'Hi there' });
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().messages[0]).toMatchObject({ status: 'sent', id: 'srv-1' });
    t.polls[0]!.resolve({ messages: [echo, reply('r1')], cursor: 'c2', typing: false });
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().messages.map((m) => m.id)).toEqual(['srv-1', 'r1']);
    expect(t.api.poll).toHaveBeenLastCalledWith('s', 'c2', expect.anything(), 25);
    t.app.poller.stop();
  });

  it('marks a failed send and retries it with the same clientMessageId', async () => {
    const t = setup({ stored: 's' });
    await vi.advanceTimersByTimeAsync(1);
    t.api.sendMessage.mockRejectedValueOnce(new ApiError(0, 'offline'));
    t.h().send('Book me in');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().messages[0]!.status).toBe('failed');
    const echo: Message = {
      id: 'srv-2',
      clientMessageId: 'uuid-1',
      direction: 'inbound',
      author: 'visitor',
      text: 'Book me in',
      createdAt: '2025-01-01T10:00:00Z',
    };
    t.api.sendMessage.mockResolvedValueOnce({ message: echo });
    t.h().retryMessage('uuid-1');
    expect(t.last().messages[0]!.status).toBe('sending');
    expect(t.api.sendMessage).toHaveBeenLastCalledWith('s', 'Book me in', 'uuid-1');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().messages).toHaveLength(1);
    expect(t.last().messages[0]!.status).toBe('sent');
    t.app.poller.stop();
  });

  it('shows the offline state on poll errors and clears it when a poll succeeds', async () => {
    const t = setup({ stored: 's' });
    await vi.advanceTimersByTimeAsync(1);
    t.polls[0]!.reject(new ApiError(0, 'Failed to fetch'));
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().connection).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.polls).toHaveLength(2);
    // The first poll after an error is a wait=0 probe so the banner clears as soon as we're back.
    expect(t.api.poll.mock.calls[1]![3]).toBe(0);
    t.polls[1]!.resolve({ messages: [], cursor: 'c0', typing: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last()).toMatchObject({ connection: 'online', typing: true });
    // …and is followed at once by a normal long-poll.
    expect(t.polls).toHaveLength(3);
    expect(t.api.poll.mock.calls[2]![3]).toBe(25);
    t.app.poller.stop();
  });

  it('stops for good on 403 and still shows the widget (with the unavailable state)', async () => {
    const t = setup({
      start: async () => {
        throw new ApiError(403, 'Origin not allowed');
      },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.api.startSession).toHaveBeenCalledTimes(1);
    expect(t.createView).toHaveBeenCalledTimes(1);
    expect(t.last().connection).toBe('unavailable');
    expect(t.app.poller.state).toBe('idle');
    expect(t.h().send('hello')).toBe(false);
  });

  it('shows nothing while the API is unreachable at start, and keeps retrying with backoff', async () => {
    const t = setup({
      start: async () => {
        throw new ApiError(0, 'Failed to fetch');
      },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.createView).not.toHaveBeenCalled();
    const calls = t.api.startSession.mock.calls.length;
    expect(calls).toBeGreaterThan(3);
    expect(calls).toBeLessThan(10);
    t.app.poller.stop();
  });

  it('starts a fresh session (no outage banner) when the server has forgotten ours', async () => {
    let next = 0;
    const t = setup({ stored: 'expired', start: async () => ({ sessionId: `s${++next}`, config, messages: [], cursor: 'c0' }) });
    await vi.advanceTimersByTimeAsync(1);
    t.polls[0]!.reject(new ApiError(404, 'Unknown session'));
    await vi.advanceTimersByTimeAsync(1500);
    expect(t.api.startSession).toHaveBeenCalledTimes(2);
    expect(t.stored()).toBe('s2');
    expect(t.renders.some((s) => s.connection === 'offline')).toBe(false);
    t.app.poller.stop();
  });

  it('starts a fresh session when a poll is refused with 401 (session expired or signed for another key)', async () => {
    let next = 0;
    const t = setup({ stored: 'expired', start: async () => ({ sessionId: `s${++next}`, config, messages: [], cursor: 'c0' }) });
    await vi.advanceTimersByTimeAsync(1);
    t.polls[0]!.reject(new ApiError(401, 'This chat session has expired'));
    await vi.advanceTimersByTimeAsync(1500);
    expect(t.api.startSession).toHaveBeenCalledTimes(2);
    expect(t.stored()).toBe('s2');
    expect(t.last().connection).toBe('online');
    expect(t.api.poll).toHaveBeenLastCalledWith('s2', 'c0', expect.anything(), 25);
    t.app.poller.stop();
  });

  it('resends a message refused with its session once the new session is there, with the same clientMessageId', async () => {
    let next = 0;
    const t = setup({
      stored: 'old',
      start: async (id) => ({ sessionId: id === 'old' && next++ === 0 ? 'old' : 'fresh', config, messages: [], cursor: 'c0' }),
    });
    await vi.advanceTimersByTimeAsync(1);
    t.api.sendMessage.mockRejectedValueOnce(new ApiError(401, 'This chat session has expired'));
    const echo: Message = {
      id: 'srv-9',
      clientMessageId: 'uuid-1',
      direction: 'inbound',
      author: 'visitor',
      text: 'Still there?',
      createdAt: '2025-01-01T10:00:00Z',
    };
    t.api.sendMessage.mockResolvedValueOnce({ message: echo });
    expect(t.h().send('Still there?')).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    // The open long-poll is cut rather than waited out, the session renewed, and the message sent again on it.
    expect(t.api.startSession).toHaveBeenCalledTimes(2);
    expect(t.stored()).toBe('fresh');
    expect(t.api.sendMessage.mock.calls.map((c) => [c[0], c[2]])).toEqual([
      ['old', 'uuid-1'],
      ['fresh', 'uuid-1'],
    ]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.last().messages).toHaveLength(1);
    expect(t.last().messages[0]).toMatchObject({ status: 'sent', id: 'srv-9' });
    expect(t.renders.some((s) => s.messages.some((m) => m.status === 'failed'))).toBe(false);
    t.app.poller.stop();
  });

  it('gives up (chat unavailable) when even fresh sessions keep being refused', async () => {
    let next = 0;
    const t = setup({ start: async () => ({ sessionId: `s${++next}`, config, messages: [], cursor: 'c0' }) });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1);
      t.polls.at(-1)?.reject(new ApiError(401, 'Unknown session'));
      await vi.advanceTimersByTimeAsync(35_000);
    }
    expect(t.last().connection).toBe('unavailable');
    expect(t.app.poller.state).toBe('idle');
    expect(t.api.startSession.mock.calls.length).toBeLessThanOrEqual(5);
  });
});
