/**
 * Fake Facebook Login server side (meta-platform.md §6): code → short-lived user token → long-lived
 * token → `/me/accounts` Page tokens, plus `debug_token`, permission revocation and `ids_for_pages`.
 */
import { randomId, type FakeReply, type RecordedCall, type Route } from './recording-server.js';
import { graphPath, pageFields, pickFields } from './graph-messenger.js';
import {
  authenticate,
  graphError,
  invalidateUserTokens,
  nowSeconds,
  registerToken,
  unsupportedRequest,
  type GraphState,
  type TokenInfo,
} from './graph-state.js';

export const SHORT_LIVED_SECONDS = 3600;
export const LONG_LIVED_SECONDS = 5183944;

export const DEFAULT_SCOPES = [
  'pages_show_list',
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'instagram_basic',
  'instagram_manage_messages',
];

const oauthError = (code: number, message: string, subcode?: number) => graphError({ code, subcode, message });

const issueUserToken = (state: GraphState, userId: string, longLived: boolean): FakeReply => {
  const scopes = state.users.get(userId)?.scopes ?? DEFAULT_SCOPES;
  const lifetime = longLived ? LONG_LIVED_SECONDS : SHORT_LIVED_SECONDS;
  const token = `EAA${longLived ? 'long' : 'short'}${userId}${randomId(32)}`;
  registerToken(state, { token, kind: 'user', userId, scopes, expiresAt: nowSeconds() + lifetime });
  return { body: { access_token: token, token_type: 'bearer', expires_in: lifetime } };
};

const accessToken = (state: GraphState, call: RecordedCall): FakeReply => {
  const q = call.query;
  if (q.client_id !== state.appId) return oauthError(101, 'Error validating application. Invalid application ID.');
  if (q.client_secret !== state.appSecret) return oauthError(100, 'Error validating client secret.');
  if (q.grant_type === 'fb_exchange_token') {
    // Only a still-valid user token can be exchanged; an expired one must go through login again.
    const current = q.fb_exchange_token ? state.tokens.get(q.fb_exchange_token) : undefined;
    if (!current || current.kind !== 'user' || !current.valid || current.expiresAt < nowSeconds()) {
      return oauthError(190, 'Error validating access token: The session is invalid or has expired.');
    }
    return issueUserToken(state, current.userId!, true);
  }
  if (!q.redirect_uri) return oauthError(100, 'Missing redirect_uri parameter.');
  if (!q.code) return oauthError(100, 'Missing authorization code.');
  const user = [...state.users.values()].find((u) => u.code === q.code);
  if (!user) return oauthError(100, 'Invalid verification code format.');
  if (user.codeUsed) return oauthError(100, 'This authorization code has been used.', 36009);
  if (user.redirectUri && user.redirectUri !== q.redirect_uri) {
    return oauthError(100, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 36008);
  }
  user.codeUsed = true;
  return issueUserToken(state, user.userId, false);
};

const accounts = (state: GraphState, call: RecordedCall, id: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const { info } = auth;
  if (info.kind === 'page') return oauthError(100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)');
  const userId = id === 'me' ? info.userId : id;
  const pageIds = info.kind === 'any' ? [...state.pages.keys()] : (state.users.get(userId ?? '')?.pageIds ?? []);
  if (info.kind !== 'any' && userId !== info.userId) return unsupportedRequest(call.method, id);
  const data = pageIds.flatMap((pageId) => {
    const page = state.pages.get(pageId);
    return page ? [pickFields(pageFields(page, true), call.query.fields)] : [];
  });
  return { body: { data, paging: { cursors: { before: 'QVFIUbefore', after: 'QVFIUafter' } } } };
};

const TOKEN_TYPES: Record<TokenInfo['kind'], string> = { user: 'USER', page: 'PAGE', whatsapp: 'SYSTEM_USER', app: 'APP', any: 'USER' };

const debugToken = (state: GraphState, call: RecordedCall): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const input = call.query.input_token;
  if (!input) return oauthError(100, '(#100) The parameter input_token is required');
  const info = state.tokens.get(input);
  if (!info) {
    return { body: { data: { is_valid: false, scopes: [], error: { code: 190, message: 'Invalid OAuth access token.' } } } };
  }
  const user = info.userId ? state.users.get(info.userId) : undefined;
  const pageScopes = new Set(['pages_messaging', 'pages_manage_metadata', 'pages_read_engagement', 'pages_show_list']);
  return {
    body: {
      data: {
        app_id: state.appId,
        type: TOKEN_TYPES[info.kind],
        application: state.appName,
        data_access_expires_at: info.issuedAt + 90 * 24 * 3600,
        expires_at: info.expiresAt,
        is_valid: info.valid && (info.expiresAt === 0 || info.expiresAt > nowSeconds()),
        issued_at: info.issuedAt,
        ...(info.pageId ? { profile_id: info.pageId } : {}),
        scopes: info.scopes,
        granular_scopes: info.scopes.map((scope) =>
          pageScopes.has(scope) && user ? { scope, target_ids: user.pageIds } : { scope }),
        ...(info.userId ? { user_id: info.userId } : {}),
      },
    },
  };
};

const revokePermissions = (state: GraphState, call: RecordedCall, userId: string, permission?: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const user = state.users.get(userId === 'me' ? (auth.info.userId ?? '') : userId);
  if (!user) return unsupportedRequest(call.method, userId);
  // A user may revoke their own grants; the app may revoke anyone's (app token).
  if (auth.info.kind !== 'app' && auth.info.kind !== 'any' && auth.info.userId !== user.userId) {
    return graphError({ code: 200, message: '(#200) Permissions error' });
  }
  if (permission) {
    user.scopes = user.scopes.filter((s) => s !== permission);
    for (const info of state.tokens.values()) if (info.userId === user.userId) info.scopes = info.scopes.filter((s) => s !== permission);
  } else {
    invalidateUserTokens(state, user.userId);
  }
  return { body: { success: true } };
};

const idsForPages = (state: GraphState, call: RecordedCall, asid: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const data = (state.idsForPages.get(asid) ?? []).map(({ psid, pageId }) => ({
    id: psid,
    page: { id: pageId, name: state.pages.get(pageId)?.name ?? `Page ${pageId}` },
  }));
  return { body: { data, paging: { cursors: { before: 'QVFIUbefore', after: 'QVFIUafter' } } } };
};

export const oauthRoutes = (state: GraphState): Route[] => [
  ['GET', graphPath('/oauth/access_token'), (call) => accessToken(state, call)],
  ['GET', graphPath('/debug_token'), (call) => debugToken(state, call)],
  ['GET', graphPath('/([^/]+)/accounts'), (call, [id]) => accounts(state, call, id!)],
  ['DELETE', graphPath('/([^/]+)/permissions(?:/([^/]+))?'), (call, [userId, permission]) =>
    revokePermissions(state, call, userId!, permission || undefined)],
  ['GET', graphPath('/([^/]+)/ids_for_pages'), (call, [asid]) => idsForPages(state, call, asid!)],
];
