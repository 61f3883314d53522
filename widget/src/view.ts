/**
 * Builds the widget DOM once inside an open shadow root and patches it from State on every
 * change. Never uses innerHTML: all text goes through textContent / text nodes.
 */
import { h, icon, ICONS, setAttr, setText, trapTab } from './dom.js';
import { safeColor, safeUrl, textOn } from './format.js';
import { createMessageList } from './messages.js';
import type { View, ViewHandlers } from './app.js';
import type { State } from './state.js';
import { CSS } from './styles.js';

const NEAR_BOTTOM_PX = 80;

export const createView = (handlers: ViewHandlers): View => {
  // A custom tag name: page rules like `div { … }` or `button { … }` can't match the host.
  const host = document.createElement('luxleads-chat');
  const shadow = host.attachShadow({ mode: 'open' });
  const root = h('div', { class: 'root' });
  shadow.append(h('style', {}, CSS), root);

  const badgeText = h('span', { class: 'sr', id: 'll-unread' });
  const badge = h('span', { class: 'badge', 'data-testid': 'll-badge', 'aria-hidden': 'true' });
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'data-testid': 'll-launcher', 'aria-haspopup': 'dialog', 'aria-controls': 'll-panel' },
    icon(ICONS.chat),
    badge,
  );

  const avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' });
  const title = h('h2', { class: 'title', id: 'll-title' });
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, icon(ICONS.close));
  const discText = h('span');
  const privacy = h('a', { target: '_blank', rel: 'noopener noreferrer' }, 'Privacy notice');
  const privacyPart = h('span', {}, ' · ', privacy);
  // The request form, already tied to this chat session (a short-lived signed token in the link, not the session id).
  const dataRequest = h('a', { target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'll-data-request' }, 'Your data');
  const dataRequestPart = h('span', {}, ' · ', dataRequest);
  const disclosure = h('p', { class: 'disc', 'data-testid': 'll-disclosure' }, discText, privacyPart, dataRequestPart);
  const errorText = h('span');
  const retry = h('button', { type: 'button' }, 'Retry');
  const error = h('div', { class: 'error', 'data-testid': 'll-error', role: 'alert' }, errorText, retry);
  const greeting = h('div', { class: 'msg', 'data-direction': 'outbound' }, h('p', { class: 'bubble' }));
  const log = h(
    'div',
    { class: 'body', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation', tabindex: '0' },
    greeting,
  );
  const typingText = h('span', { class: 'sr' });
  const typing = h('div', { class: 'typing', 'data-testid': 'll-typing', role: 'status' }, typingText, h('i'), h('i'), h('i'));
  const input = h('input', { class: 'input', 'data-testid': 'll-input', type: 'text', maxlength: '2000', autocomplete: 'off' });
  const send = h('button', { type: 'submit', class: 'send', 'data-testid': 'll-send', 'aria-label': 'Send message' }, icon(ICONS.send));
  const form = h('form', { class: 'compose' }, input, send);
  const panel = h(
    'div',
    { class: 'panel', id: 'll-panel', 'data-testid': 'll-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'll-title' },
    h('div', { class: 'head' }, avatar, title, close),
    disclosure,
    error,
    log,
    form,
  );
  root.append(launcher, badgeText, panel);
  const list = createMessageList(log, greeting, (id) => {
    handlers.retryMessage(id);
    input.focus();
  });

  launcher.addEventListener('click', () => handlers.open());
  close.addEventListener('click', () => handlers.close());
  retry.addEventListener('click', () => handlers.retryConnection());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.isComposing) {
      e.stopPropagation();
      handlers.close();
    } else trapTab(panel, shadow, e);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (handlers.send(input.value)) input.value = '';
    input.focus();
  });

  let wasOpen = false;
  let attached = false;

  const render = (s: State) => {
    const focused = shadow.activeElement as HTMLElement | null;
    // No config only when a 403 arrived before we learned whose chat this is: stay generic then.
    const name = s.config?.businessName ?? '';
    const color = safeColor(s.config?.color);
    root.style.setProperty('--c', color);
    root.style.setProperty('--fg', textOn(color));

    setAttr(launcher, 'aria-label', name ? `Open chat with ${name}` : 'Open chat');
    setAttr(launcher, 'aria-expanded', String(s.open));
    launcher.hidden = s.open;
    const unread = s.open ? 0 : s.unread;
    badge.hidden = unread === 0;
    setText(badge, unread > 9 ? '9+' : String(unread));
    setText(badgeText, unread ? `${unread} unread message${unread === 1 ? '' : 's'}` : '');
    if (unread) setAttr(launcher, 'aria-describedby', 'll-unread');
    else launcher.removeAttribute('aria-describedby');

    panel.hidden = !s.open;
    avatar.hidden = !name;
    setText(avatar, name.trim().charAt(0).toUpperCase());
    setText(title, name || 'Chat');
    disclosure.hidden = !name;
    setText(discText, `You're chatting with an automated assistant for ${name}`);
    const privacyUrl = safeUrl(s.config?.privacyUrl);
    privacyPart.hidden = !privacyUrl;
    if (privacyUrl) setAttr(privacy, 'href', privacyUrl);
    const dataRequestUrl = safeUrl(s.config?.dataRequestUrl);
    dataRequestPart.hidden = !dataRequestUrl;
    if (dataRequestUrl) setAttr(dataRequest, 'href', dataRequestUrl);

    const unavailable = s.connection === 'unavailable';
    error.hidden = s.connection !== 'offline' && !unavailable;
    setText(errorText, unavailable ? 'Chat is unavailable on this site.' : `Can't reach ${name} right now. Retrying…`);
    retry.hidden = unavailable;
    input.disabled = unavailable;
    send.disabled = unavailable || s.sessionId === null;
    setAttr(input, 'aria-label', name ? `Message ${name}` : 'Message');
    setAttr(input, 'placeholder', unavailable ? 'Chat unavailable' : 'Type your message…');

    const greet = s.config?.greeting ?? '';
    greeting.hidden = !greet;
    setText(greeting.firstChild as Node, greet);

    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
    const added = list.render(s.messages, name);
    const label = `${name} is typing`;
    setAttr(typing, 'aria-label', label);
    setText(typingText, label);
    // Inserted/removed rather than hidden so the log announces it when it appears.
    if (!s.typing || unavailable) typing.remove();
    else if (log.lastChild !== typing) log.append(typing);

    if (!attached) {
      document.body.append(host);
      attached = true;
    }
    // Follow new messages only if the visitor hasn't scrolled up to read; always for their own.
    const mine = added && s.messages[s.messages.length - 1]?.author === 'visitor';
    if (s.open && (!wasOpen || mine || ((added || s.typing) && nearBottom))) log.scrollTop = log.scrollHeight;
    // Opening moves focus in; and if the focused control just disappeared (a Retry button whose
    // banner cleared), keep focus in the panel instead of letting it fall back to <body>.
    const lost = wasOpen && focused !== null && focused.getClientRects().length === 0;
    if (s.open && (!wasOpen || lost)) (input.disabled ? close : input).focus();
    if (!s.open && wasOpen) launcher.focus();
    wasOpen = s.open;
  };

  return { render };
};
