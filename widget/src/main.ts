/**
 * Entry point of widget.js:
 *   <script src="{PUBLIC_URL}/widget.js" data-key="{publishable key}" async></script>
 * The API base is derived from the script's own src, so one build serves every deployment.
 */
import { createApi } from './api.js';
import { startApp } from './app.js';
import { apiBaseFromScript } from './format.js';
import { createSessionStore, uuid } from './session.js';
import { createView } from './view.js';

// Captured synchronously at load: document.currentScript is null once this script has run
// (and inside any callback). The selector is a fallback for loaders that hide it.
const script =
  (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');

const LOADED = '__luxleadsWidget';

const boot = (src: string, key: string) => {
  const api = createApi(apiBaseFromScript(src), key);
  const sessions = createSessionStore(key, () => {
    // Accessing window.localStorage itself throws when storage is blocked.
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  });
  const app = startApp({ api, sessions, createView, uuid });

  const syncVisibility = () => app.poller.setHidden(document.visibilityState === 'hidden');
  document.addEventListener('visibilitychange', syncVisibility);
  syncVisibility();
  // Cut the open long-poll on navigation; resume if the page comes back from the bfcache.
  window.addEventListener('pagehide', () => app.poller.stop());
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && app.getState().connection !== 'unavailable') app.poller.start();
  });
};

const init = () => {
  const key = script?.getAttribute('data-key');
  if (!script || !script.src || !key) {
    console.warn('[LuxLeads] widget.js needs a src and a data-key attribute; chat not started.');
    return;
  }
  // Pasting the snippet twice must not produce two launchers.
  const w = window as unknown as Record<string, unknown>;
  if (w[LOADED]) return;
  w[LOADED] = true;
  boot(script.src, key);
};

// An async script can run before <body> exists; the view appends to body.
if (document.body) init();
else document.addEventListener('DOMContentLoaded', init, { once: true });
