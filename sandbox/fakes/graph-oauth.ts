/**
 * Fake Facebook Login server side (meta-platform.md §6): code → short-lived user token → long-lived
 * token → Page tokens (one Page by id), plus `debug_token`, permission revocation and
 * `ids_for_pages`. Calls are refused with (#200)/(#10) when the token lacks the permission Meta documents for them.
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

/** What a person grants when they accept our dialog as it is: the privacy policy's four (§6). */
export const DEFAULT_SCOPES = ['pages_messaging', 'pages_manage_metadata', 'pages_read_engagement', 'instagram_manage_messages'];

/** What Page tokens added with addPage carry: connections made through Meta's full Instagram path. */
export const PAGE_TOKEN_SCOPES = [...DEFAULT_SCOPES, 'pages_show_list', 'instagram_basic'];

/** Any of these granted on a Page lets its person read the Page's token by id ("at least one Page permission"). */
const PAGE_PERMISSIONS = ['pages_messaging', 'pages_manage_metadata', 'pages_read_engagement', 'pages_show_list'];
/** Meta's Page reference: reading `instagram_business_account` needs both. */
const INSTAGRAM_LINK_SCOPES = ['instagram_basic', 'pages_show_list'];
const INSTAGRAM_SCOPES = ['instagram_basic', 'instagram_manage_messages'];

const missingPermission = (code: 10 | 200, what: string, scopes: string[]) =>
  graphError({ code, message: `(#${code}) ${what} requires the ${scopes.join(' and ')} permission${scopes.length > 1 ? 's' : ''}` });
const lacks = (info: TokenInfo, scopes: string[]) =>
  info.kind !== 'any' && info.kind !== 'app' && scopes.some((s) => !info.scopes.includes(s));

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
    return oauthError(
      100,
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      36008,
    );
  }
  user.codeUsed = true;
  return issueUserToken(state, user.userId, false);
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
  const igIds = (user?.pageIds ?? []).flatMap((id) => state.pages.get(id)?.instagramBusinessAccountId ?? []);
  const targetsOf = (scope: string) =>
    !user ? undefined : PAGE_PERMISSIONS.includes(scope) ? user.pageIds : INSTAGRAM_SCOPES.includes(scope) ? igIds : undefined;
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
        // The Pages (Instagram accounts) the person picked in the dialog for each permission.
        granular_scopes: info.scopes.map((scope) => {
          const targets = targetsOf(scope);
          return targets ? { scope, target_ids: targets } : { scope };
        }),
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
  const all = state.idsForPages.get(asid) ?? [];
  // Cursor paging as Graph does it: `after` continues, `paging.next` only while more remain.
  const limit = Math.min(Math.max(Number(call.query.limit ?? 25) || 25, 1), 100);
  const start = call.query.after ? Number(Buffer.from(call.query.after, 'base64url').toString()) || 0 : 0;
  const data = all.slice(start, start + limit).map(({ psid, pageId }) => ({
    id: psid,
    page: { id: pageId, name: state.pages.get(pageId)?.name ?? `Page ${pageId}` },
  }));
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  const after = cursor(start + data.length);
  const hasMore = start + data.length < all.length;
  return {
    body: {
      data,
      paging: { cursors: { before: cursor(start), after }, ...(hasMore ? { next: `${call.path}?after=${after}&limit=${limit}` } : {}) },
    },
  };
};

/**
 * `GET /{page-id}` asking for `access_token` or `instagram_business_account`: the Page-token and linked-account
 * reads of onboarding, with their permission checks. Other Page reads fall through to graph-messenger.ts.
 */
const pageRead = (state: GraphState, call: RecordedCall, pageId: string): FakeReply | undefined => {
  const page = state.pages.get(pageId);
  const fields = (call.query.fields ?? '').split(',').map((f) => f.trim());
  const wantsToken = fields.includes('access_token');
  const wantsInstagram = fields.includes('instagram_business_account');
  if (!page || (!wantsToken && !wantsInstagram)) return undefined;
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const { info } = auth;
  if (wantsInstagram && lacks(info, INSTAGRAM_LINK_SCOPES))
    return missingPermission(10, 'Reading instagram_business_account', INSTAGRAM_LINK_SCOPES);
  const body: Record<string, unknown> = pickFields(pageFields(page), call.query.fields);
  if (wantsToken && info.kind === 'user') {
    if (!info.scopes.some((s) => PAGE_PERMISSIONS.includes(s)))
      return graphError({ code: 200, message: '(#200) Reading a Page token requires a Page permission' });
    // Only Pages the person picked in the dialog (and can act on) hand out a token.
    if (state.users.get(info.userId ?? '')?.pageIds.includes(pageId)) body.access_token = page.accessToken;
  }
  return { body };
};

export const oauthRoutes = (state: GraphState): Route[] => [
  ['GET', graphPath('/oauth/access_token'), (call) => accessToken(state, call)],
  ['GET', graphPath('/debug_token'), (call) => debugToken(state, call)],
  [
    'DELETE',
    graphPath('/([^/]+)/permissions(?:/([^/]+))?'),
    (call, [userId, permission]) => revokePermissions(state, call, userId!, permission || undefined),
  ],
  ['GET', graphPath('/([^/]+)/ids_for_pages'), (call, [asid]) => idsForPages(state, call, asid!)],
  ['GET', graphPath('/([^/]+)'), (call, [id]) => pageRead(state, call, id!)],
];
