/**
 * The Facebook Login dialog for the local sandbox (`npm start`): META_LOGIN_URL points the web app's "Connect
 * with Facebook" here instead of www.facebook.com. The page stands in for Meta's consent screen; Continue grants
 * the permissions asked for on the sandbox Pages and returns to the app's callback with a code, exactly as Meta
 * redirects, so the app's real OAuth path (code exchange, debug_token, Page tokens) runs against the fake Graph.
 */
import { randomId, type FakeReply, type RecordedCall, type Route } from './recording-server.js';
import { graphPath } from './graph-messenger.js';
import type { GraphState } from './graph-state.js';

export type LoginDialogOptions = {
  /** Pages the sandbox person manages (already added to the fake). */
  pageIds: string[];
  /** Registers the person's grant: the code the callback will exchange and the scopes accepted. */
  grant: (spec: { code: string; userId: string; pages: string[]; scopes: string[]; redirectUri: string }) => void;
};

export const SANDBOX_LOGIN_USER = '5559001';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const back = (redirectUri: string, params: Record<string, string>): FakeReply => {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString() }, raw: '' };
};

const refuse = (message: string): FakeReply => ({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, raw: message });

const dialog = (state: GraphState, opts: LoginDialogOptions, call: RecordedCall): FakeReply => {
  const q = call.query;
  if (q.client_id !== state.appId) return refuse('Invalid App ID: client_id does not match the sandbox app (META_APP_ID).');
  if (!q.redirect_uri || !q.state) return refuse('redirect_uri and state are required.');
  const scopes = (q.scope ?? '').split(',').filter(Boolean);
  const pages = opts.pageIds.map((id) => state.pages.get(id)?.name ?? id);
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const fields =
    hidden('client_id', q.client_id) + hidden('redirect_uri', q.redirect_uri) + hidden('state', q.state) + hidden('scope', q.scope ?? '');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in with Facebook (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
<h1>Facebook Login (local sandbox)</h1>
<p>This page stands in for Facebook's consent screen while LuxLeads runs locally. Continuing grants the app:</p>
<ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<p>on the Pages you manage here:</p>
<ul>${pages.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>
<form method="get" action="${call.path}/confirm">${fields}<button type="submit" name="choice" value="continue">Continue</button>
<button type="submit" name="choice" value="cancel">Cancel</button></form>
</body></html>`;
  return { headers: { 'content-type': 'text/html; charset=utf-8' }, raw: html };
};

const confirm = (state: GraphState, opts: LoginDialogOptions, call: RecordedCall): FakeReply => {
  const q = call.query;
  if (q.client_id !== state.appId || !q.redirect_uri || !q.state) return refuse('Start again from the app.');
  if (q.choice !== 'continue') return back(q.redirect_uri, { error: 'access_denied', error_reason: 'user_denied', state: q.state });
  const code = `SANDBOX-${randomId(24)}`;
  opts.grant({
    code,
    userId: SANDBOX_LOGIN_USER,
    pages: opts.pageIds,
    scopes: (q.scope ?? '').split(',').filter(Boolean),
    redirectUri: q.redirect_uri,
  });
  return back(q.redirect_uri, { code, state: q.state });
};

export const loginDialogRoutes = (state: GraphState, opts: LoginDialogOptions): Route[] => [
  ['GET', graphPath('/dialog/oauth'), (call) => dialog(state, opts, call)],
  ['GET', graphPath('/dialog/oauth/confirm'), (call) => confirm(state, opts, call)],
];
