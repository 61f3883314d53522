/**
 * The whole widget state and a pure reducer over it. Everything the view shows is derived from
 * this, which keeps the tricky parts (dedupe, optimistic sends, unread counting) unit-testable
 * without a DOM.
 */
import type { Message, WidgetConfig } from './types.js';

/** 'sending' and 'failed' only ever exist locally, before the server has acknowledged a message. */
export type SendStatus = 'sent' | 'sending' | 'failed';

export interface ChatMessage extends Message {
  /**
   * Stable identity across the optimistic copy and the server echo (clientMessageId when there
   * is one, else the server id), so the view can keep the same DOM node and screen readers
   * don't hear the message announced twice.
   */
  key: string;
  status: SendStatus;
}

/** connecting: no session yet; unavailable: 403, terminal (bad key or origin not allowed). */
export type Connection = 'connecting' | 'online' | 'offline' | 'unavailable';

export interface State {
  sessionId: string | null;
  config: WidgetConfig | null;
  cursor: string | null;
  messages: ChatMessage[];
  open: boolean;
  unread: number;
  typing: boolean;
  connection: Connection;
}

export type Event =
  | { type: 'sessionStarted'; sessionId: string; config: WidgetConfig; messages: Message[]; cursor: string }
  | { type: 'messagesReceived'; messages: Message[]; cursor?: string | undefined; typing?: boolean | undefined }
  | { type: 'messageQueued'; clientMessageId: string; text: string; createdAt: string }
  | { type: 'messageRetried'; clientMessageId: string }
  | { type: 'messageFailed'; clientMessageId: string }
  | { type: 'typingChanged'; typing: boolean }
  | { type: 'panelOpened' }
  | { type: 'panelClosed' }
  | { type: 'connectionLost' }
  | { type: 'connectionRestored' }
  | { type: 'chatUnavailable' };

export const initialState: State = {
  sessionId: null,
  config: null,
  cursor: null,
  messages: [],
  open: false,
  unread: 0,
  typing: false,
  connection: 'connecting',
};

const toChat = (m: Message): ChatMessage => ({ ...m, key: m.clientMessageId ?? m.id, status: 'sent' });

const sameMessage = (a: ChatMessage, b: Message): boolean =>
  a.id === b.id || (b.clientMessageId !== undefined && a.clientMessageId === b.clientMessageId);

const fromBusiness = (m: Message): boolean => m.author !== 'visitor';

/**
 * Merges server messages into the list: a message already present (same id, or the optimistic
 * copy with the same clientMessageId) is replaced in place, so polls that overlap the send
 * response or a history reload never duplicate anything. Returns how many were new.
 */
const merge = (list: ChatMessage[], incoming: Message[]): { list: ChatMessage[]; added: Message[] } => {
  const next = list.slice();
  const added: Message[] = [];
  for (const m of incoming) {
    const i = next.findIndex((x) => sameMessage(x, m));
    if (i === -1) {
      next.push(toChat(m));
      added.push(m);
    } else {
      // Keep the key of the existing entry: the DOM node is looked up by it.
      next[i] = { ...toChat(m), key: next[i]!.key };
    }
  }
  return { list: next, added };
};

const setStatus = (list: ChatMessage[], clientMessageId: string, status: SendStatus): ChatMessage[] =>
  list.map((m) => (m.clientMessageId === clientMessageId && m.status !== 'sent' ? { ...m, status } : m));

export const reduce = (state: State, event: Event): State => {
  switch (event.type) {
    case 'sessionStarted': {
      // A (re)started session brings the authoritative history; local messages the server has
      // not seen yet (still sending or failed) are kept after it so the visitor can retry them.
      const history = event.messages.map(toChat);
      const pending = state.messages.filter(
        (m) => m.status !== 'sent' && !event.messages.some((s) => s.clientMessageId === m.clientMessageId),
      );
      const connection = state.connection === 'unavailable' ? 'unavailable' : 'online';
      return {
        ...state,
        sessionId: event.sessionId,
        config: event.config,
        cursor: event.cursor,
        messages: [...history, ...pending],
        connection,
      };
    }
    case 'messagesReceived': {
      const { list, added } = merge(state.messages, event.messages);
      const replies = added.filter(fromBusiness).length;
      // A reply ends the typing phase unless the server says typing continues (e.g. multi-part answers).
      const typing = event.typing ?? (replies > 0 ? false : state.typing);
      return {
        ...state,
        messages: list,
        cursor: event.cursor ?? state.cursor,
        typing,
        unread: state.open ? 0 : state.unread + replies,
      };
    }
    case 'messageQueued': {
      if (state.messages.some((m) => m.clientMessageId === event.clientMessageId)) return state;
      const local: ChatMessage = {
        id: `local:${event.clientMessageId}`,
        clientMessageId: event.clientMessageId,
        key: event.clientMessageId,
        direction: 'inbound',
        author: 'visitor',
        text: event.text,
        createdAt: event.createdAt,
        status: 'sending',
      };
      return { ...state, messages: [...state.messages, local] };
    }
    case 'messageRetried':
      return { ...state, messages: setStatus(state.messages, event.clientMessageId, 'sending') };
    case 'messageFailed':
      return { ...state, messages: setStatus(state.messages, event.clientMessageId, 'failed') };
    case 'typingChanged':
      return state.typing === event.typing ? state : { ...state, typing: event.typing };
    case 'panelOpened':
      return { ...state, open: true, unread: 0 };
    case 'panelClosed':
      return { ...state, open: false };
    case 'connectionLost':
      return state.connection === 'unavailable' ? state : { ...state, connection: 'offline' };
    case 'connectionRestored':
      return state.connection === 'unavailable' ? state : { ...state, connection: 'online' };
    case 'chatUnavailable':
      return { ...state, connection: 'unavailable', typing: false };
    default:
      return state;
  }
};
