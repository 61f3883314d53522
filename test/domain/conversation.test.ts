import { describe, expect, it } from 'vitest';
import {
  HUMAN_AGENT_WINDOW_MS,
  MESSAGING_WINDOW_MS,
  humanReplyMessageIdOf,
  isMessageOf,
  messageIdOf,
  messagingWindow,
  messagingWindowExpiresAt,
  replyMessageIdOf,
} from '../../domain/conversation.js';
import { windowExpiresAtOf } from '../../domain/conversation-records.js';
import { contactKeyOf, contactOfKey } from '../../domain/leads.js';

const DAY = 24 * 60 * 60 * 1000;

describe('the messaging window', () => {
  const last = new Date('2026-03-02T10:00:00Z');
  const at = (ms: number) => new Date(last.getTime() + ms);

  it('is open to anyone for 24 hours after the last customer message, through its last millisecond', () => {
    expect(MESSAGING_WINDOW_MS).toBe(DAY);
    expect(messagingWindow('assistant', last, at(0))).toBe('standard');
    expect(messagingWindow('assistant', last, at(DAY))).toBe('standard');
    expect(messagingWindow('assistant', last, at(DAY + 1))).toBe('closed');
  });

  it('lets only a person answer up to 7 days, and nobody after that or without a customer message', () => {
    expect(HUMAN_AGENT_WINDOW_MS).toBe(7 * DAY);
    expect(messagingWindow('human', last, at(DAY + 1))).toBe('human_agent');
    expect(messagingWindow('human', last, at(7 * DAY))).toBe('human_agent');
    expect(messagingWindow('human', last, at(7 * DAY + 1))).toBe('closed');
    expect(messagingWindow('human', undefined, at(0))).toBe('closed');
  });

  it('closes 24 hours after the last customer message on Meta channels; the widget has none', () => {
    expect(messagingWindowExpiresAt('messenger', last.getTime())).toBe(last.getTime() + DAY);
    expect(messagingWindowExpiresAt('instagram', last.getTime())).toBe(last.getTime() + DAY);
    expect(messagingWindowExpiresAt('web', last.getTime())).toBeUndefined();
    expect(messagingWindowExpiresAt('messenger', undefined)).toBeUndefined();
    // The dashboard's row view and the workflow's reminder use the same instant.
    expect(windowExpiresAtOf({ channel: 'messenger', lastInboundAt: last })).toEqual(new Date(last.getTime() + DAY));
    expect(windowExpiresAtOf({ channel: 'web', lastInboundAt: last })).toBeUndefined();
  });
});

describe('message ids', () => {
  it('prefix every message of a thread with the thread id, and only that thread', () => {
    const thread = 'conversation:abc';
    for (const id of [messageIdOf(thread, 'm_1'), replyMessageIdOf(thread, 'k1'), humanReplyMessageIdOf(thread, 'u1')])
      expect(isMessageOf(thread, id)).toBe(true);
    expect(replyMessageIdOf(thread, 'k1')).toBe('conversation:abc|reply:k1');
    expect(humanReplyMessageIdOf(thread, 'u1')).toBe('conversation:abc|human:u1');
    expect(isMessageOf(thread, messageIdOf('conversation:abcd', 'm_1'))).toBe(false);
    expect(isMessageOf(thread, thread)).toBe(false);
  });
});

describe('contact keys', () => {
  it('name a contact by channel and id, and read back only known channels', () => {
    expect(contactKeyOf({ channel: 'instagram', contactId: '17841:x' })).toBe('instagram:17841:x');
    expect(contactOfKey('instagram:17841:x')).toEqual({ channel: 'instagram', contactId: '17841:x' });
    expect(contactOfKey('web:s1')).toEqual({ channel: 'web', contactId: 's1' });
    expect(contactOfKey('whatsapp:123')).toBeUndefined();
    expect(contactOfKey(':123')).toBeUndefined();
    expect(contactOfKey('messenger')).toBeUndefined();
  });
});
