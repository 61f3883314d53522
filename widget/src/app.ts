/**
 * Wires state, API, poller and view together. One loop does all server reads: its tick starts
 * (or restarts) the session when needed and otherwise long-polls, so backoff, Retry-After and
 * the hidden-tab pause apply to both uniformly.
 */
import { ApiError, POLL_WAIT_S, type WidgetApi } from './api.js';
import { createPoller, type Poller } from './poller.js';
import type { SessionStore } from './session.js';
import { initialState, reduce, type Event, type State } from './state.js';

export const MAX_TEXT = 2000;

/** What the DOM layer (view.ts) offers and needs; declared here so this module stays DOM-free. */
export interface ViewHandlers {
  open(): void;
  close(): void;
  /** Returns false if the text was not accepted (empty/too long/no session) so the input is kept. */
  send(text: string): boolean;
  retryMessage(clientMessageId: string): void;
  retryConnection(): void;
}

export interface View {
  render(state: State): void;
}

export interface AppDeps {
  api: WidgetApi;
  sessions: SessionStore;
  createView: (handlers: ViewHandlers) => View;
  uuid: () => string;
}

const statusOf = (err: unknown): number => (err instanceof ApiError ? err.status : 0);
/** 403: bad key or origin not allowed — retrying can't help, so stop for good. */
const isForbidden = (err: unknown): boolean => statusOf(err) === 403;
/** The server no longer accepts our session (401: expired or signed for another key; 404/410: forgotten): start a new one rather than report an outage. */
const isSessionGone = (err: unknown): boolean => statusOf(err) === 401 || statusOf(err) === 404 || statusOf(err) === 410;
/** Fresh sessions refused again and again mean a misconfigured server, not an old session: stop instead of looping. */
const MAX_SESSION_RESTARTS = 3;

export interface App {
  poller: Poller;
  getState(): State;
}

export const startApp = ({ api, sessions, createView, uuid }: AppDeps): App => {
  let state = initialState;
  let view: View | null = null;
  let needSession = true;
  let sessionRestarts = 0;
  /** Messages refused with the session: sent again, unchanged, as soon as the new session is there. */
  const awaitingSession = new Set<string>();

  const dispatch = (event: Event) => {
    const next = reduce(state, event);
    if (next === state) return;
    state = next;
    // Nothing is shown until we know whose chat this is (or that it is unavailable): a launcher
    // with no name or colour is worse than none while the API is unreachable.
    if (!view && (state.config || state.connection === 'unavailable')) view = createView(handlers);
    view?.render(state);
  };

  const renewSession = () => {
    needSession = true;
    sessionRestarts += 1;
  };

  const tick = async (signal: AbortSignal): Promise<boolean> => {
    if (needSession) {
      let stored = sessions.get();
      if (!stored) {
        stored = uuid();
        sessions.set(stored);
      }
      const res = await api.startSession(stored);
      if (res.sessionId !== stored) sessions.set(res.sessionId);
      needSession = false;
      dispatch({ type: 'sessionStarted', ...res });
      for (const clientMessageId of awaitingSession) {
        const m = state.messages.find((x) => x.clientMessageId === clientMessageId);
        if (m && m.status === 'sending') deliver(clientMessageId, m.text);
      }
      awaitingSession.clear();
      return true;
    }
    // After an error, probe with wait=0: a held-open long-poll would leave the outage banner up
    // for up to 25s after the connection is actually back. The probe counts as news so the
    // regular long-poll follows at once.
    const probe = state.connection === 'offline';
    try {
      const res = await api.poll(state.sessionId ?? '', state.cursor, signal, probe ? 0 : POLL_WAIT_S);
      const news = probe || res.messages.length > 0 || res.typing !== state.typing;
      sessionRestarts = 0;
      dispatch({ type: 'messagesReceived', messages: res.messages, cursor: res.cursor, typing: res.typing });
      return news;
    } catch (err) {
      if (isSessionGone(err)) renewSession();
      throw err;
    }
  };

  const poller = createPoller({
    tick,
    onSuccess: () => {
      if (state.connection === 'offline') dispatch({ type: 'connectionRestored' });
    },
    onError: (err) => {
      if (isForbidden(err) || sessionRestarts > MAX_SESSION_RESTARTS) {
        dispatch({ type: 'chatUnavailable' });
        return false;
      }
      if (!isSessionGone(err)) dispatch({ type: 'connectionLost' });
      return true;
    },
  });

  const deliver = (clientMessageId: string, text: string) => {
    // Same clientMessageId on every attempt: the server treats retries as idempotent.
    api.sendMessage(state.sessionId ?? '', text, clientMessageId).then(
      (res) => {
        dispatch({ type: 'messagesReceived', messages: [res.message] });
        // The send got through, so the server is reachable: don't sit out the poll backoff.
        if (state.connection === 'offline') poller.kick();
      },
      (err: unknown) => {
        // The session expired while the page was open: renew it at once (cutting the open long-poll) and resend.
        if (isSessionGone(err) && !needSession && sessionRestarts < MAX_SESSION_RESTARTS) {
          awaitingSession.add(clientMessageId);
          renewSession();
          poller.stop();
          poller.start();
          return;
        }
        if (isSessionGone(err) && needSession) {
          awaitingSession.add(clientMessageId);
          return;
        }
        dispatch({ type: 'messageFailed', clientMessageId });
        if (isForbidden(err)) {
          poller.stop();
          dispatch({ type: 'chatUnavailable' });
        }
      },
    );
  };

  const handlers: ViewHandlers = {
    open: () => dispatch({ type: 'panelOpened' }),
    close: () => dispatch({ type: 'panelClosed' }),
    send: (raw) => {
      const text = raw.trim();
      if (!text || text.length > MAX_TEXT || !state.sessionId || state.connection === 'unavailable') return false;
      const clientMessageId = uuid();
      dispatch({ type: 'messageQueued', clientMessageId, text, createdAt: new Date().toISOString() });
      deliver(clientMessageId, text);
      return true;
    },
    retryMessage: (clientMessageId) => {
      const m = state.messages.find((x) => x.clientMessageId === clientMessageId);
      if (!m || m.status !== 'failed' || state.connection === 'unavailable') return;
      dispatch({ type: 'messageRetried', clientMessageId });
      deliver(clientMessageId, m.text);
    },
    retryConnection: () => poller.kick(),
  };

  poller.start();
  return { poller, getState: () => state };
};
