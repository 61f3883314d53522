/**
 * Who is logged in. The access token lives in memory only; the login survives a reload through the httpOnly
 * cookie behind /api/v1/auth/web-session (the refresh token from login is handed over once and never kept).
 * Refreshes are serialised across tabs with the Web Locks API, since each one rotates the cookie.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, APP_HEADER, data, useTokens, type paths } from './api/client';
import { t } from './i18n';

export type Me = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];
export type Membership = Me['memberships'][number];
type WebSession = paths['/api/v1/auth/web-session']['post']['responses'][200]['content']['application/json'];

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' | 'logged-out' }
  | { status: 'signed-in'; me: Me; businessId: string | undefined };

let state: SessionState = { status: 'loading' };
let accessToken: string | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const set = (next: SessionState) => {
  state = next;
  for (const l of listeners) l();
};

export const getSession = () => state;
export const useSession = (): SessionState => {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
};

const BUSINESS_KEY = 'luxleads:business';
const pickBusiness = (me: Me, preferred?: string) => {
  const ids = me.memberships.map((m) => m.businessId);
  const remembered = preferred ?? sessionStorage.getItem(BUSINESS_KEY) ?? undefined;
  return remembered && ids.includes(remembered) ? remembered : ids[0];
};

const accept = (s: WebSession) => {
  accessToken = s.accessToken;
  clearTimeout(refreshTimer);
  // A minute before the access token expires; the cookie rotates with it.
  refreshTimer = setTimeout(() => void refresh(), Math.max(10, s.expiresIn - 60) * 1000);
};

const cookieCall = async (path: 'refresh' | 'adopt', refreshToken?: string): Promise<WebSession | undefined> => {
  const res = await fetch(`/api/v1/auth/web-session${path === 'refresh' ? '/refresh' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [APP_HEADER]: '1' },
    body: JSON.stringify(path === 'adopt' ? { refreshToken } : {}),
    credentials: 'same-origin',
  });
  return res.ok ? ((await res.json()) as WebSession) : undefined;
};

const withLock = async <T>(fn: () => Promise<T>): Promise<T> => (navigator.locks ? navigator.locks.request('luxleads-session', fn) : fn());

let refreshing: Promise<boolean> | undefined;
/** A new access token from the cookie; false when this browser has no live login. */
export const refresh = (): Promise<boolean> => {
  refreshing ??= withLock(async () => {
    const s = await cookieCall('refresh').catch(() => undefined);
    if (s) accept(s);
    else accessToken = undefined;
    return Boolean(s);
  }).finally(() => (refreshing = undefined));
  return refreshing;
};

export const loadMe = async (preferredBusiness?: string) => {
  const me = await data(api.GET('/api/v1/me'));
  const current = state.status === 'signed-in' ? state.businessId : undefined;
  set({ status: 'signed-in', me, businessId: pickBusiness(me, preferredBusiness ?? current) });
  return me;
};

const signedOut = (reason?: 'expired' | 'logged-out') => {
  accessToken = undefined;
  clearTimeout(refreshTimer);
  set({ status: 'signed-out', ...(reason ? { reason } : {}) });
};

useTokens({
  get: () => accessToken,
  refresh,
  onSignedOut: () => {
    if (state.status === 'signed-in') signedOut('expired');
  },
});

/** At start: is there a login in this browser? */
export const boot = async () => {
  if (await refresh()) await loadMe().catch(() => signedOut());
  else signedOut();
};

/** After login or sign-up: the refresh token goes into the cookie (and is rotated there), never into storage. */
export const startSession = async (tokens: { refreshToken: string }, businessId?: string) => {
  const s = await withLock(() => cookieCall('adopt', tokens.refreshToken));
  if (!s) throw new Error(t.auth.cookieRefused);
  accept(s);
  await loadMe(businessId);
};

export const logout = async () => {
  await fetch('/api/v1/auth/web-session', { method: 'DELETE', headers: { [APP_HEADER]: '1' }, credentials: 'same-origin' }).catch(
    () => undefined,
  );
  signedOut('logged-out');
};

export const chooseBusiness = (businessId: string) => {
  if (state.status !== 'signed-in') return;
  sessionStorage.setItem(BUSINESS_KEY, businessId);
  set({ ...state, businessId });
};

export const membershipOf = (s: SessionState): Membership | undefined =>
  s.status === 'signed-in' ? s.me.memberships.find((m) => m.businessId === s.businessId) : undefined;
