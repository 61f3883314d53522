/**
 * Fake Meta Graph API (Messenger + Instagram Send API, Page onboarding, Facebook Login, WhatsApp Cloud API)
 * following /work/shared/reference/meta-platform.md. Any `/vNN.N/` prefix is accepted.
 *
 * Point our Graph client at it with META_GRAPH_URL=<fake.url> (the client appends `/${META_GRAPH_VERSION}`).
 *
 * Also a local demo sandbox when run directly:
 *   npx tsx sandbox/fakes/graph.ts --port 3901 [--host 127.0.0.1] [--app-id 1000000000000001] [--app-secret s]
 * In that mode any token is accepted so the demo bot can "send" without real Meta credentials;
 * GET /__fake/state lists what was sent, GET /__fake/calls every recorded request (neither is recorded).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dispatch, startRecordingServer, type RecordingServer, type Route } from './recording-server.js';
import { messengerRoutes } from './graph-messenger.js';
import { DEFAULT_SCOPES, oauthRoutes, PAGE_TOKEN_SCOPES } from './graph-oauth.js';
import { loginDialogRoutes } from './graph-login.js';
import { whatsAppRoutes, waDigits } from './graph-whatsapp.js';
import {
  createGraphState,
  graphError,
  graphErrorBody,
  registerToken,
  type FakePage,
  type GraphState,
  type SentMessage,
  type WhatsAppSent,
  type WhatsAppTemplate,
} from './graph-state.js';

export { graphErrorBody };
export type { FakePage, SentMessage, WhatsAppSent, WhatsAppTemplate };

export type FakeGraphOptions = {
  port?: number;
  host?: string;
  appId?: string;
  appSecret?: string;
  /** Demo sandbox mode: unknown tokens are treated as valid everywhere (invalidated ones still fail). */
  acceptAnyToken?: boolean;
  /** Mimic "Require App Secret": every user/page-token call needs a matching `appsecret_proof`. */
  requireAppSecretProof?: boolean;
  /** Only this Bearer token may call the WhatsApp endpoint (default: any non-empty token). */
  whatsAppToken?: string;
  /** Serve a Facebook Login dialog (graph-login.ts) whose person manages these Pages: the local sandbox's "Connect with Facebook". */
  loginPages?: PageSpec[];
};

export type PageSpec = { id: string; name: string; token: string; igId?: string };

export type OAuthUserSpec = {
  code: string;
  userId: string;
  name?: string;
  /** Pages this person manages and picks in the dialog: ids of pages already added, or specs to add now. */
  pages: (string | PageSpec)[];
  /** What they grant (default DEFAULT_SCOPES); calls needing anything else are refused. */
  scopes?: string[];
  /** When set, the code exchange must use exactly this redirect_uri (Meta error 36008 otherwise). */
  redirectUri?: string;
};

/**
 * `reset()` forgets calls, faults and sent messages; pages, users, tokens (including invalidations),
 * templates and WhatsApp windows stay, since tests program them once per file.
 */
export type FakeGraph = RecordingServer & {
  readonly appId: string;
  readonly appSecret: string;
  /** The live state, for assertions the helpers don't cover. */
  readonly state: GraphState;
  addPage(page: PageSpec): FakePage;
  addOAuthUser(user: OAuthUserSpec): void;
  /** Make a token fail with 190/460, as after a password change. */
  invalidateToken(token: string): void;
  isTokenValid(token: string): boolean;
  addIdsForPages(asid: string, ids: { psid: string; pageId: string }[]): void;
  /** Successful Messenger/IG message sends (sender actions excluded), in order. */
  sentMessages(): SentMessage[];
  /** Text of each message successfully sent to this PSID/IGSID. */
  messagesTo(recipientId: string): string[];
  setWhatsAppToken(token: string): void;
  setTemplate(template: WhatsAppTemplate): void;
  markNumberInvalid(number: string): void;
  /** Open the 24h customer service window for a number (free-form text allowed). */
  openWindow(number: string): void;
  closeWindow(number: string): void;
  /** Successful WhatsApp sends, in order. */
  whatsAppMessages(): WhatsAppSent[];
};

export const startFakeGraph = async (options: FakeGraphOptions = {}): Promise<FakeGraph> => {
  const state = createGraphState({
    appId: options.appId ?? '1000000000000001',
    appSecret: options.appSecret ?? 'fake-app-secret',
    acceptAnyToken: options.acceptAnyToken ?? false,
    requireAppSecretProof: options.requireAppSecretProof ?? false,
  });
  // Order matters: WhatsApp and Messenger share `/{id}/messages`, and `GET /{id}` catches everything else.
  const login = options.loginPages
    ? loginDialogRoutes(state, { pageIds: options.loginPages.map((p) => p.id), grant: (spec) => graph.addOAuthUser(spec) })
    : [];
  const routes: Route[] = [...login, ...oauthRoutes(state), ...whatsAppRoutes(state), ...messengerRoutes(state)];
  const server = await startRecordingServer({
    name: 'fake Graph',
    port: options.port,
    host: options.host,
    handle: (call) => dispatch(routes, call, (c) => graphError({ status: 404, code: 2500, message: `Unknown path components: ${c.path}` })),
    faultBody: (status) =>
      status >= 500
        ? graphErrorBody({ code: 2, message: 'An unexpected error has occurred. Please retry your request later.' })
        : status === 429
          ? graphErrorBody({ code: 4, message: '(#4) Application request limit reached' })
          : graphErrorBody({ code: 100, message: `(#100) Injected failure (HTTP ${status})` }),
    debugState: () => ({ messages: state.sent, whatsApp: state.whatsApp.sent }),
    onReset: () => {
      state.sent.length = 0;
      state.whatsApp.sent.length = 0;
    },
  });

  const addPage = (spec: PageSpec): FakePage => {
    const page: FakePage = { id: spec.id, name: spec.name, accessToken: spec.token, instagramBusinessAccountId: spec.igId };
    state.pages.set(page.id, page);
    if (spec.igId) state.igToPage.set(spec.igId, page.id);
    registerToken(state, { token: spec.token, kind: 'page', pageId: page.id, scopes: PAGE_TOKEN_SCOPES });
    return page;
  };

  const graph: FakeGraph = Object.assign(server, {
    appId: state.appId,
    appSecret: state.appSecret,
    state,
    addPage,
    addOAuthUser: (spec: OAuthUserSpec) => {
      const pageIds = spec.pages.map((p) => (typeof p === 'string' ? p : addPage(p).id));
      state.users.set(spec.userId, {
        userId: spec.userId,
        name: spec.name ?? `User ${spec.userId}`,
        code: spec.code,
        codeUsed: false,
        redirectUri: spec.redirectUri,
        pageIds,
        scopes: spec.scopes ?? [...DEFAULT_SCOPES],
      });
      // Page tokens handed out through this login belong to this user (debug_token user_id, revocation).
      for (const pageId of pageIds) {
        const token = state.pages.get(pageId)?.accessToken;
        const info = token ? state.tokens.get(token) : undefined;
        if (info && !info.userId) info.userId = spec.userId;
      }
    },
    invalidateToken: (token: string) => {
      const info = state.tokens.get(token) ?? registerToken(state, { token, kind: 'user', scopes: [] });
      info.valid = false;
    },
    isTokenValid: (token: string) => state.tokens.get(token)?.valid ?? false,
    addIdsForPages: (asid: string, ids: { psid: string; pageId: string }[]) => {
      state.idsForPages.set(asid, [...(state.idsForPages.get(asid) ?? []), ...ids]);
    },
    sentMessages: () => [...state.sent],
    messagesTo: (recipientId: string) =>
      state.sent.filter((m) => m.recipientId === recipientId && m.text !== undefined).map((m) => m.text!),
    setWhatsAppToken: (token: string) => {
      state.whatsApp.token = token;
      if (!state.tokens.has(token)) registerToken(state, { token, kind: 'whatsapp', scopes: ['whatsapp_business_messaging'] });
    },
    setTemplate: (template: WhatsAppTemplate) => {
      state.whatsApp.templates = state.whatsApp.templates.filter((t) => t.name !== template.name || t.language !== template.language);
      state.whatsApp.templates.push(template);
    },
    markNumberInvalid: (number: string) => void state.whatsApp.invalidNumbers.add(waDigits(number)),
    openWindow: (number: string) => void state.whatsApp.openWindows.add(waDigits(number)),
    closeWindow: (number: string) => void state.whatsApp.openWindows.delete(waDigits(number)),
    whatsAppMessages: () => [...state.whatsApp.sent],
  });
  if (options.whatsAppToken) graph.setWhatsAppToken(options.whatsAppToken);
  for (const page of options.loginPages ?? []) addPage(page);
  return graph;
};

/** `--port 3901` style flags → option values. */
const flag = (args: string[], name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};

const isMain = () => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
};

if (isMain()) {
  const args = process.argv.slice(2);
  const graph = await startFakeGraph({
    port: Number(flag(args, 'port') ?? 3901),
    host: flag(args, 'host'),
    appId: flag(args, 'app-id'),
    appSecret: flag(args, 'app-secret'),
    acceptAnyToken: true,
  });
  console.log(`Fake Graph API listening on ${graph.url} (any token accepted; GET ${graph.url}/__fake/state shows sent messages)`);
  const stop = () => void graph.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
