import { describe, expect, it } from 'vitest';
import { initialState, reduce, type Event, type State } from '../../widget/src/state.js';
import type { Message, WidgetConfig } from '../../widget/src/types.js';

const config: WidgetConfig = {
  businessName: 'Bright Smile Dental Clinic',
  color: '#0e7490',
  greeting: 'Hi! How can we help?',
  privacyUrl: 'https://example.test/privacy',
  aiDisclosure: true,
};

let seq = 0;
const msg = (over: Partial<Message> = {}): Message => {
  seq += 1;
  return {
    id: `m${seq}`,
    direction: 'outbound',
    author: 'assistant',
    text: `reply ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 10, seq)).toISOString(),
    ...over,
  };
};

const run = (events: Event[], from: State = initialState): State => events.reduce(reduce, from);

const started = (messages: Message[] = []): State => run([{ type: 'sessionStarted', sessionId: 's1', config, messages, cursor: 'c0' }]);

describe('sessionStarted', () => {
  it('restores history, config and cursor and goes online without counting history as unread', () => {
    const history = [msg({ direction: 'inbound', author: 'visitor' }), msg()];
    const s = started(history);
    expect(s.sessionId).toBe('s1');
    expect(s.config).toEqual(config);
    expect(s.cursor).toBe('c0');
    expect(s.connection).toBe('online');
    expect(s.unread).toBe(0);
    expect(s.messages.map((m) => [m.id, m.status])).toEqual([
      [history[0]!.id, 'sent'],
      [history[1]!.id, 'sent'],
    ]);
  });

  it('keeps local unsent messages the restarted session does not know, but not ones it does', () => {
    let s = run(
      [
        { type: 'messageQueued', clientMessageId: 'a', text: 'lost', createdAt: '2025-01-01T10:00:00Z' },
        { type: 'messageFailed', clientMessageId: 'a' },
        { type: 'messageQueued', clientMessageId: 'b', text: 'arrived', createdAt: '2025-01-01T10:00:01Z' },
      ],
      started(),
    );
    const known = msg({ clientMessageId: 'b', direction: 'inbound', author: 'visitor', text: 'arrived' });
    s = reduce(s, { type: 'sessionStarted', sessionId: 's2', config, messages: [known], cursor: 'c9' });
    expect(s.sessionId).toBe('s2');
    expect(s.messages.map((m) => [m.text, m.status])).toEqual([
      ['arrived', 'sent'],
      ['lost', 'failed'],
    ]);
  });
});

describe('messagesReceived', () => {
  it('dedupes by id across overlapping polls and advances the cursor', () => {
    const a = msg();
    const b = msg();
    let s = reduce(started([a]), { type: 'messagesReceived', messages: [a, b], cursor: 'c2' });
    s = reduce(s, { type: 'messagesReceived', messages: [b], cursor: 'c3' });
    expect(s.messages.map((m) => m.id)).toEqual([a.id, b.id]);
    expect(s.cursor).toBe('c3');
  });

  it('keeps the cursor when an event carries none (send responses)', () => {
    const s = reduce(started(), { type: 'messagesReceived', messages: [msg()] });
    expect(s.cursor).toBe('c0');
  });

  it('replaces in place a message re-sent with edited text', () => {
    const a = msg({ text: 'draft' });
    const s = reduce(started([a, msg()]), { type: 'messagesReceived', messages: [{ ...a, text: 'final' }] });
    expect(s.messages[0]!.text).toBe('final');
    expect(s.messages).toHaveLength(2);
  });
});

describe('optimistic send', () => {
  const queued = (): State =>
    reduce(started(), { type: 'messageQueued', clientMessageId: 'cid-1', text: 'Do you do whitening?', createdAt: '2025-01-01T12:00:00Z' });

  it('shows the message immediately as sending, from the visitor', () => {
    const s = queued();
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({
      clientMessageId: 'cid-1',
      key: 'cid-1',
      direction: 'inbound',
      author: 'visitor',
      status: 'sending',
    });
  });

  it('ignores a second queue of the same clientMessageId', () => {
    const s = reduce(queued(), { type: 'messageQueued', clientMessageId: 'cid-1', text: 'x', createdAt: '2025-01-01T12:00:00Z' });
    expect(s.messages).toHaveLength(1);
  });

  it('replaces the optimistic copy with the server echo (same key, server id), from the 202 and again from the poll', () => {
    const echo = msg({ id: 'srv-9', clientMessageId: 'cid-1', direction: 'inbound', author: 'visitor', text: 'Do you do whitening?' });
    let s = reduce(queued(), { type: 'messagesReceived', messages: [echo] });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({ id: 'srv-9', key: 'cid-1', status: 'sent', createdAt: echo.createdAt });
    // The poll delivers the same message once more, possibly with the reply.
    const reply = msg();
    s = reduce(s, { type: 'messagesReceived', messages: [echo, reply], cursor: 'c1' });
    expect(s.messages.map((m) => m.id)).toEqual(['srv-9', reply.id]);
  });

  it('dedupes when the poll echo arrives before the 202 response', () => {
    const echo = msg({ id: 'srv-9', clientMessageId: 'cid-1', direction: 'inbound', author: 'visitor' });
    let s = reduce(queued(), { type: 'messagesReceived', messages: [echo], cursor: 'c1' });
    s = reduce(s, { type: 'messagesReceived', messages: [echo] });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.status).toBe('sent');
  });

  it('marks a failed send, lets it be retried, and settles on the echo', () => {
    let s = reduce(queued(), { type: 'messageFailed', clientMessageId: 'cid-1' });
    expect(s.messages[0]!.status).toBe('failed');
    s = reduce(s, { type: 'messageRetried', clientMessageId: 'cid-1' });
    expect(s.messages[0]!.status).toBe('sending');
    s = reduce(s, { type: 'messageFailed', clientMessageId: 'cid-1' });
    s = reduce(s, { type: 'messageRetried', clientMessageId: 'cid-1' });
    const echo = msg({ id: 'srv-1', clientMessageId: 'cid-1', direction: 'inbound', author: 'visitor' });
    s = reduce(s, { type: 'messagesReceived', messages: [echo] });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.status).toBe('sent');
  });

  it('never downgrades a delivered message to failed (late error from a duplicate attempt)', () => {
    const echo = msg({ id: 'srv-1', clientMessageId: 'cid-1', direction: 'inbound', author: 'visitor' });
    let s = reduce(queued(), { type: 'messagesReceived', messages: [echo] });
    s = reduce(s, { type: 'messageFailed', clientMessageId: 'cid-1' });
    expect(s.messages[0]!.status).toBe('sent');
  });
});

describe('unread badge', () => {
  it('counts new assistant and human messages while closed, not visitor ones or duplicates', () => {
    const a = msg({ author: 'assistant' });
    const h = msg({ author: 'human' });
    const v = msg({ author: 'visitor', direction: 'inbound' });
    let s = reduce(started(), { type: 'messagesReceived', messages: [a, v] });
    expect(s.unread).toBe(1);
    s = reduce(s, { type: 'messagesReceived', messages: [a, h] });
    expect(s.unread).toBe(2);
  });

  it('resets on open, stays 0 while open, counts again after close', () => {
    let s = reduce(started(), { type: 'messagesReceived', messages: [msg(), msg()] });
    expect(s.unread).toBe(2);
    s = reduce(s, { type: 'panelOpened' });
    expect(s.open).toBe(true);
    expect(s.unread).toBe(0);
    s = reduce(s, { type: 'messagesReceived', messages: [msg()] });
    expect(s.unread).toBe(0);
    s = run([{ type: 'panelClosed' }, { type: 'messagesReceived', messages: [msg()] }], s);
    expect(s.open).toBe(false);
    expect(s.unread).toBe(1);
  });
});

describe('typing', () => {
  it('follows typingChanged and returns the same state when nothing changes', () => {
    const s = reduce(started(), { type: 'typingChanged', typing: true });
    expect(s.typing).toBe(true);
    expect(reduce(s, { type: 'typingChanged', typing: true })).toBe(s);
    expect(reduce(s, { type: 'typingChanged', typing: false }).typing).toBe(false);
  });

  it('takes the typing flag from polls, and a reply ends typing when the poll does not say', () => {
    let s = reduce(started(), { type: 'messagesReceived', messages: [], typing: true, cursor: 'c1' });
    expect(s.typing).toBe(true);
    s = reduce(s, { type: 'messagesReceived', messages: [msg({ direction: 'inbound', author: 'visitor' })] });
    expect(s.typing).toBe(true);
    s = reduce(s, { type: 'messagesReceived', messages: [msg()] });
    expect(s.typing).toBe(false);
    s = reduce(s, { type: 'messagesReceived', messages: [msg()], typing: true });
    expect(s.typing).toBe(true);
  });
});

describe('connection', () => {
  it('goes offline and back online', () => {
    let s = reduce(started(), { type: 'connectionLost' });
    expect(s.connection).toBe('offline');
    s = reduce(s, { type: 'connectionRestored' });
    expect(s.connection).toBe('online');
  });

  it('treats unavailable (403) as terminal and hides typing', () => {
    let s = run([{ type: 'typingChanged', typing: true }, { type: 'chatUnavailable' }], started());
    expect(s).toMatchObject({ connection: 'unavailable', typing: false });
    s = run([{ type: 'connectionRestored' }, { type: 'connectionLost' }], s);
    expect(s.connection).toBe('unavailable');
    s = reduce(s, { type: 'sessionStarted', sessionId: 's3', config, messages: [], cursor: 'c' });
    expect(s.connection).toBe('unavailable');
  });
});
