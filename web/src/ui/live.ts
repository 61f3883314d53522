/**
 * Live updates: one long-poll per business on /inbox/changes, shared by every component that listens (a browser
 * keeps only six connections per site). Listeners get the ids of the conversations that changed as soon as
 * anything of the business moves; the loop stops when the last listener unmounts.
 */
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../api/client';

type Listener = (conversationIds: string[]) => void;
const loops = new Map<string, { listeners: Set<Listener>; stop: AbortController }>();

const run = async (businessId: string, listeners: Set<Listener>, stop: AbortSignal) => {
  let cursor: string | undefined;
  let failures = 0;
  while (!stop.aborted) {
    try {
      const { data, response } = await api.GET('/api/v1/businesses/{businessId}/inbox/changes', {
        params: { path: { businessId }, query: cursor === undefined ? {} : { since: cursor, wait: 25 } },
        signal: stop,
      });
      if (!response.ok || !data) throw new Error(`HTTP ${response.status}`);
      failures = 0;
      if (data.changed) for (const l of [...listeners]) l(data.conversationIds);
      cursor = data.cursor;
    } catch {
      if (stop.aborted) return;
      failures += 1;
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** failures)));
    }
  }
};

export const useLiveChanges = (businessId: string, onChange: Listener) => {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const listener: Listener = (ids) => callback.current(ids);
    let loop = loops.get(businessId);
    if (!loop) {
      loop = { listeners: new Set(), stop: new AbortController() };
      loops.set(businessId, loop);
      void run(businessId, loop.listeners, loop.stop.signal);
    }
    loop.listeners.add(listener);
    const mine = loop;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0) {
        mine.stop.abort();
        if (loops.get(businessId) === mine) loops.delete(businessId);
      }
    };
  }, [businessId]);
};
