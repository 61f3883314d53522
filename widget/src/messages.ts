/**
 * Keyed rendering of the message list. Nodes are reused by ChatMessage.key and only moved or
 * patched when needed: the list is an aria-live log, and re-creating nodes would make screen
 * readers re-announce the whole conversation on every poll.
 */
import { h, setAttr, setText } from './dom.js';
import { formatTime } from './format.js';
import type { ChatMessage } from './state.js';

interface MessageNode {
  el: HTMLElement;
  who: HTMLElement;
  bubble: HTMLElement;
  time: HTMLTimeElement;
  status: HTMLElement;
  retry: HTMLButtonElement;
}

const createNode = (onRetry: (clientMessageId: string) => void, m: ChatMessage): MessageNode => {
  const who = h('span', { class: 'sr' });
  const bubble = h('p', { class: 'bubble' });
  const time = h('time');
  const status = h('span');
  const retry = h('button', { type: 'button', class: 'retry' }, 'Not sent — Retry');
  retry.addEventListener('click', () => {
    if (m.clientMessageId) onRetry(m.clientMessageId);
  });
  const el = h(
    'div',
    { class: 'msg', 'data-testid': 'll-message', 'data-direction': m.direction },
    who,
    bubble,
    h('div', { class: 'meta' }, time, status, retry),
  );
  return { el, who, bubble, time, status, retry };
};

const patch = (n: MessageNode, m: ChatMessage, businessName: string): void => {
  setAttr(n.el, 'data-direction', m.direction);
  setAttr(n.el, 'data-author', m.author);
  setAttr(n.el, 'data-status', m.status);
  setText(n.who, m.author === 'visitor' ? 'You said:' : `${businessName} said:`);
  setText(n.bubble, m.text);
  setAttr(n.time, 'datetime', m.createdAt);
  setText(n.time, formatTime(m.createdAt));
  setText(n.status, m.status === 'sending' ? 'Sending…' : '');
  n.retry.hidden = m.status !== 'failed';
};

export interface MessageList {
  /** Renders `messages` after `anchor` (the greeting) in `log`; returns true if any node was added. */
  render(messages: ChatMessage[], businessName: string): boolean;
}

export const createMessageList = (log: HTMLElement, anchor: HTMLElement, onRetry: (clientMessageId: string) => void): MessageList => {
  const nodes = new Map<string, MessageNode>();
  return {
    render(messages, businessName) {
      let added = false;
      const seen = new Set<string>();
      let prev: Node = anchor;
      for (const m of messages) {
        let n = nodes.get(m.key);
        if (!n) {
          n = createNode(onRetry, m);
          nodes.set(m.key, n);
          added = true;
        }
        seen.add(m.key);
        patch(n, m, businessName);
        if (prev.nextSibling !== n.el) log.insertBefore(n.el, prev.nextSibling);
        prev = n.el;
      }
      for (const [key, n] of nodes) {
        if (!seen.has(key)) {
          n.el.remove();
          nodes.delete(key);
        }
      }
      return added;
    },
  };
};
