/** A small history router for /app: the current location as a store, navigate(), and pattern matching. */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/app';
type Location = { path: string; query: URLSearchParams };

const read = (): Location => ({ path: location.pathname.replace(/\/+$/, '') || BASE, query: new URLSearchParams(location.search) });
let current = read();
const listeners = new Set<() => void>();
const notify = () => {
  current = read();
  for (const l of listeners) l();
};
window.addEventListener('popstate', notify);

export const navigate = (to: string, opts: { replace?: boolean } = {}) => {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
  window.scrollTo(0, 0);
};

export const useLocation = (): Location => {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return current;
};

/** `/app/leads/:leadId` against `/app/leads/lead_1` → { leadId: 'lead_1' }; undefined when it does not match. */
export const match = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
};

/** Same-app links go through history; modified clicks (new tab) and other origins behave as normal links. */
export const onLinkClick = (e: MouseEvent) => {
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute('download') || a.getAttribute('href')?.startsWith('#')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
};
