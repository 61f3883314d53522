/**
 * State and error helpers shared by the fake Graph API modules (Messenger/IG send, OAuth, WhatsApp).
 * Error bodies follow /work/shared/reference/meta-platform.md §5 and §8: `{error:{message,type,code,
 * error_subcode?,error_data?,fbtrace_id}}` — the app must branch on `code`, so the codes matter most.
 */
import { createHmac } from 'node:crypto';
import { bearerToken, randomId, type FakeReply, type RecordedCall } from './recording-server.js';

export type GraphErrorSpec = {
  status?: number;
  code: number;
  subcode?: number;
  message: string;
  type?: string;
  errorData?: unknown;
};

/** A Graph error body; also handy for `failNext({ status: 400, body: graphErrorBody({...}) })`. */
export const graphErrorBody = ({ code, subcode, message, type = 'OAuthException', errorData }: GraphErrorSpec) => ({
  error: {
    message,
    type,
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    ...(errorData === undefined ? {} : { error_data: errorData }),
    fbtrace_id: randomId(11),
  },
});

export const graphError = (spec: GraphErrorSpec): FakeReply => ({ status: spec.status ?? 400, body: graphErrorBody(spec) });

export const unsupportedRequest = (method: string, id: string): FakeReply =>
  graphError({
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });

export type TokenKind = 'user' | 'page' | 'whatsapp' | 'app' | 'any';

export type TokenInfo = {
  token: string;
  kind: TokenKind;
  userId?: string;
  pageId?: string;
  scopes: string[];
  /** Unix seconds; 0 = never expires (Page tokens from a long-lived user token). */
  expiresAt: number;
  issuedAt: number;
  valid: boolean;
};

export type FakePage = {
  id: string;
  name: string;
  accessToken: string;
  instagramBusinessAccountId?: string;
  /** undefined = our app is not subscribed to this Page's webhooks. */
  subscribedFields?: string[];
};

export type OAuthUser = {
  userId: string;
  name: string;
  code: string;
  codeUsed: boolean;
  redirectUri?: string;
  pageIds: string[];
  scopes: string[];
};

export type SentMessage = {
  channel: 'messenger' | 'instagram';
  /** The Page or IG account id in the URL (or the token's Page for /me/messages). */
  senderId: string;
  recipientId: string;
  messagingType?: string;
  tag?: string;
  text?: string;
  attachment?: unknown;
  quickReplies?: unknown[];
  metadata?: string;
  messageId: string;
  at: number;
};

export type WhatsAppSent = {
  phoneNumberId: string;
  to: string;
  waId: string;
  type: 'text' | 'template';
  text?: string;
  template?: { name: string; language: string; parameters: string[] };
  messageId: string;
  at: number;
};

export type WhatsAppTemplate = { name: string; language: string; paramCount: number };

export type GraphState = {
  appId: string;
  appSecret: string;
  appName: string;
  acceptAnyToken: boolean;
  requireAppSecretProof: boolean;
  pages: Map<string, FakePage>;
  /** IG business account id → Page id, for sends addressed to the IG account. */
  igToPage: Map<string, string>;
  users: Map<string, OAuthUser>;
  tokens: Map<string, TokenInfo>;
  idsForPages: Map<string, { psid: string; pageId: string }[]>;
  sent: SentMessage[];
  whatsApp: {
    /** undefined = any non-empty Bearer token is accepted. */
    token?: string;
    templates: WhatsAppTemplate[];
    invalidNumbers: Set<string>;
    openWindows: Set<string>;
    sent: WhatsAppSent[];
  };
};

export const createGraphState = (opts: {
  appId: string;
  appSecret: string;
  acceptAnyToken: boolean;
  requireAppSecretProof: boolean;
}): GraphState => ({
  ...opts,
  appName: 'LuxLeads (fake)',
  pages: new Map(),
  igToPage: new Map(),
  users: new Map(),
  tokens: new Map(),
  idsForPages: new Map(),
  sent: [],
  whatsApp: { templates: [], invalidNumbers: new Set(), openWindows: new Set(), sent: [] },
});

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export const registerToken = (state: GraphState, info: Omit<TokenInfo, 'issuedAt' | 'valid' | 'expiresAt'> & { expiresAt?: number }) => {
  const full: TokenInfo = { expiresAt: 0, ...info, issuedAt: nowSeconds(), valid: true };
  state.tokens.set(info.token, full);
  return full;
};

export const isAppToken = (state: GraphState, token: string | undefined) => token === `${state.appId}|${state.appSecret}`;

/** Form posts carry objects as JSON strings (`recipient={"id":"1"}`); JSON posts carry them as objects. */
export const jsonField = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

export const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Graph takes the token from `access_token` (query or form body) or `Authorization: Bearer`. */
export const tokenFrom = (call: RecordedCall): string | undefined => {
  const fromBody = asRecord(call.body).access_token;
  return call.query.access_token ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? bearerToken(call);
};

export type AuthResult = { info: TokenInfo } | { reply: FakeReply };

/** Resolve the caller's token the way Graph reports problems: 104 missing, 190 unknown, 190/460 invalidated. */
export const authenticate = (state: GraphState, call: RecordedCall, status = 400): AuthResult => {
  const token = tokenFrom(call);
  if (!token) return { reply: graphError({ status, code: 104, message: 'An access token is required to request this resource.' }) };
  if (isAppToken(state, token)) return { info: { token, kind: 'app', scopes: [], expiresAt: 0, issuedAt: 0, valid: true } };
  const info = state.tokens.get(token);
  if (info && !info.valid) {
    return {
      reply: graphError({
        status,
        code: 190,
        subcode: 460,
        message:
          'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      }),
    };
  }
  if (info && info.expiresAt !== 0 && info.expiresAt < nowSeconds()) {
    return { reply: graphError({ status, code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' }) };
  }
  if (!info && !state.acceptAnyToken) {
    return { reply: graphError({ status, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }) };
  }
  // With "Require App Secret" on, Meta rejects server calls that lack a matching proof (pitfall P9).
  if (state.requireAppSecretProof) {
    const expected = createHmac('sha256', state.appSecret).update(token).digest('hex');
    if (call.query.appsecret_proof !== expected) {
      return {
        reply: graphError({
          status,
          code: 100,
          type: 'GraphMethodException',
          message: 'API calls from the server require an appsecret_proof argument',
        }),
      };
    }
  }
  return { info: info ?? { token, kind: 'any', scopes: [], expiresAt: 0, issuedAt: 0, valid: true } };
};

/** Invalidate every token belonging to a user, plus the Page tokens they handed out (as a password change would). */
export const invalidateUserTokens = (state: GraphState, userId: string) => {
  const pageIds = new Set(state.users.get(userId)?.pageIds ?? []);
  for (const info of state.tokens.values()) {
    if (info.userId === userId || (info.kind === 'page' && info.pageId && pageIds.has(info.pageId))) info.valid = false;
  }
};
