import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, type FetchLike } from '../../widget/src/api.js';
import { apiBaseFromScript, formatTime, safeColor, safeUrl, textOn } from '../../widget/src/format.js';
import { createSessionStore, storageKey, uuid } from '../../widget/src/session.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('createApi', () => {
  it('posts the key with every body, never sends credentials, and targets {base}/widget/v1', async () => {
    const fetch = vi.fn<FetchLike>(async () => json(200, { sessionId: 's', config: {}, messages: [], cursor: '0' }));
    const api = createApi('https://api.example.test/', 'pk_1', fetch);
    await api.startSession('sid-1');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.example.test/widget/v1/sessions');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    expect(JSON.parse(String(init.body))).toEqual({ key: 'pk_1', sessionId: 'sid-1' });

    fetch.mockResolvedValueOnce(json(202, { message: {} }));
    await api.sendMessage('sid-1', 'hello', 'cid');
    expect(fetch.mock.calls[1]![0]).toBe('https://api.example.test/widget/v1/messages');
    expect(JSON.parse(String(fetch.mock.calls[1]![1].body))).toEqual({
      key: 'pk_1',
      sessionId: 'sid-1',
      text: 'hello',
      clientMessageId: 'cid',
    });
  });

  it('long-polls with key, sessionId, after and wait=25', async () => {
    const fetch = vi.fn<FetchLike>(async () => json(200, { messages: [], cursor: '5', typing: false }));
    const api = createApi('https://x.test/lux', 'pk 1', fetch);
    await api.poll('s&1', 'c/4');
    const url = new URL(fetch.mock.calls[0]![0]);
    expect(url.pathname).toBe('/lux/widget/v1/messages');
    expect(Object.fromEntries(url.searchParams)).toEqual({ key: 'pk 1', sessionId: 's&1', after: 'c/4', wait: '25' });
    await api.poll('s', null);
    expect(new URL(fetch.mock.calls[1]![0]).searchParams.has('after')).toBe(false);
  });

  it('turns problem documents into ApiError with status, detail and Retry-After', async () => {
    const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down' };
    const api = createApi('https://x.test', 'k', async () => json(429, problem, { 'Retry-After': '7' }));
    const err = await api.poll('s', null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, message: 'Slow down', retryAfterMs: 7000, problem });
  });

  it('reports network failures as status 0', async () => {
    const api = createApi('https://x.test', 'k', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.startSession()).rejects.toMatchObject({ status: 0 });
  });

  it('aborts the request when the caller aborts', async () => {
    const api = createApi(
      'https://x.test',
      'k',
      (_u, init) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const ctl = new AbortController();
    const p = api.poll('s', null, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ status: 0 });
  });
});

describe('session store and ids', () => {
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('makes v4 uuids with randomUUID and with the getRandomValues fallback', () => {
    expect(uuid()).toMatch(V4);
    const fallback = { getRandomValues: (a: Uint8Array) => globalThis.crypto.getRandomValues(a) };
    const ids = new Set(Array.from({ length: 100 }, () => uuid(fallback)));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it('stores under luxleads:session:{key} only', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    const store = createSessionStore('pk_live_1', () => storage);
    expect(store.get()).toBeNull();
    store.set('abc');
    expect([...data.entries()]).toEqual([[storageKey('pk_live_1'), 'abc']]);
    expect(storageKey('pk_live_1')).toBe('luxleads:session:pk_live_1');
    expect(store.get()).toBe('abc');
  });

  it('keeps working in memory when storage throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
    };
    const store = createSessionStore('k', () => broken);
    store.set('mem');
    expect(store.get()).toBe('mem');
  });
});

describe('format helpers', () => {
  it('formats local HH:MM', () => {
    expect(formatTime(new Date(2025, 0, 2, 9, 5).toISOString())).toBe('09:05');
    expect(formatTime(new Date(2025, 0, 2, 23, 59).toISOString())).toBe('23:59');
    expect(formatTime('nonsense')).toBe('');
  });

  it('only lets hex colours and http(s) links through', () => {
    expect(safeColor('#0e7490')).toBe('#0e7490');
    expect(safeColor('#abc')).toBe('#abc');
    expect(safeColor('red; background:url(x)')).toBe('#2563eb');
    expect(safeUrl('https://clinic.test/privacy')).toBe('https://clinic.test/privacy');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(42)).toBeNull();
  });

  it('picks readable text on the brand colour', () => {
    expect(textOn('#0e7490')).toBe('#ffffff');
    expect(textOn('#000')).toBe('#ffffff');
    expect(textOn('#fde047')).toBe('#111111');
    expect(textOn('#ffffff')).toBe('#111111');
  });

  it('derives the API base from the script src', () => {
    expect(apiBaseFromScript('https://api.luxleads.test/widget.js')).toBe('https://api.luxleads.test');
    expect(apiBaseFromScript('https://cdn.test/lux/widget.js?v=3')).toBe('https://cdn.test/lux');
  });
});
