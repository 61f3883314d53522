/**
 * Fake Messenger / Instagram Send API plus the Page endpoints onboarding uses
 * (`GET /{page-id}`, `/{page-id}/subscribed_apps`). Rules from meta-platform.md §4–§6.
 */
import { randomId, type FakeReply, type RecordedCall, type Route } from './recording-server.js';
import {
  asRecord,
  authenticate,
  graphError,
  jsonField,
  unsupportedRequest,
  type FakePage,
  type GraphState,
  type TokenInfo,
} from './graph-state.js';

export const graphPath = (rest: string) => new RegExp(String.raw`^/v\d+\.\d+` + rest + '$');

const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen'];
/** Page-level webhook fields Meta accepts; IG-only ones (e.g. messaging_seen) are rejected (pitfall P10). */
const PAGE_WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_echoes',
  'message_reads',
  'message_deliveries',
  'message_reactions',
  'messaging_referrals',
  'messaging_handovers',
  'standby',
  'messaging_optins',
  'message_edits',
  'messaging_policy_enforcement',
  'messaging_account_linking',
  'response_feedback',
  'feed',
];

const badParam = (message: string) => graphError({ code: 100, message: `(#100) ${message}` });

/** Which Page (and channel) a send to `/{id}/messages` acts for, or the error Graph would give. */
const resolveSender = (state: GraphState, id: string, auth: TokenInfo, method: string) => {
  const pageId = id === 'me' ? auth.pageId : state.pages.has(id) ? id : state.igToPage.get(id);
  const channel: 'messenger' | 'instagram' = state.igToPage.has(id) ? 'instagram' : 'messenger';
  if (auth.kind === 'any') return { channel, senderId: id === 'me' ? (auth.pageId ?? 'me') : id };
  if (auth.kind !== 'page') {
    return {
      reply: graphError({ code: 210, type: 'OAuthException', message: '(#210) A page access token is required to request this resource.' }),
    };
  }
  // A Page token only works for its own Page and the IG account linked to it.
  if (!pageId || auth.pageId !== pageId) return { reply: unsupportedRequest(method, id) };
  return { channel, senderId: id === 'me' ? pageId : id };
};

/** PSID/IGSID, or the other recipient forms Meta allows (private reply to a comment, checkbox user_ref). */
const recipientIdOf = (body: Record<string, unknown>): string | undefined => {
  const recipient = asRecord(jsonField(body.recipient));
  const id = recipient.id ?? recipient.comment_id ?? recipient.post_id ?? recipient.user_ref;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

const validateSendBody = (body: Record<string, unknown>, channel: 'messenger' | 'instagram'): FakeReply | undefined => {
  if (recipientIdOf(body) === undefined) return badParam('The parameter recipient is required');
  const hasAction = body.sender_action !== undefined;
  const hasMessage = body.message !== undefined;
  if (hasAction && hasMessage) return badParam('Param sender_action cannot be sent together with message');
  if (!hasAction && !hasMessage) return badParam('Must send either message or state');
  if (hasAction) {
    return SENDER_ACTIONS.includes(String(body.sender_action))
      ? undefined
      : badParam(`Param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`);
  }
  if (body.messaging_type === undefined) return badParam('The parameter messaging_type is required');
  if (!MESSAGING_TYPES.includes(String(body.messaging_type)))
    return badParam(`Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);
  if (body.messaging_type === 'MESSAGE_TAG' && typeof body.tag !== 'string')
    return badParam('The parameter tag is required for MESSAGE_TAG');
  const message = asRecord(jsonField(body.message));
  const { text, attachment } = message;
  if (text === undefined && attachment === undefined) return badParam('Param message must contain text or attachment');
  if (text !== undefined && attachment !== undefined) return badParam('Param message cannot have both text and attachment');
  if (text !== undefined) {
    if (typeof text !== 'string' || text.length === 0) return badParam('Param message[text] must be a non-empty UTF-8 encoded string');
    if ([...text].length > 2000) return badParam('Length of param message[text] must be less than or equal to 2000');
    // IG counts bytes, not characters: the reference settles on ≤ 1000 bytes.
    if (channel === 'instagram' && Buffer.byteLength(text, 'utf8') > 1000) {
      return badParam('Length of param message[text] must be less than or equal to 1000 bytes for Instagram');
    }
  }
  if (attachment !== undefined && typeof asRecord(attachment).type !== 'string')
    return badParam('Param message[attachment][type] is required');
  const quickReplies = message.quick_replies;
  if (Array.isArray(quickReplies) && quickReplies.length > 13)
    return badParam('Param message[quick_replies] must have at most 13 elements');
  if (typeof message.metadata === 'string' && message.metadata.length >= 1000)
    return badParam('Length of param message[metadata] must be less than 1000');
  return undefined;
};

const sendMessage = (state: GraphState, call: RecordedCall, id: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const sender = resolveSender(state, id, auth.info, call.method);
  if ('reply' in sender) return sender.reply!;
  const body = asRecord(call.body);
  const invalid = validateSendBody(body, sender.channel);
  if (invalid) return invalid;
  const recipientId = recipientIdOf(body)!;
  if (body.sender_action !== undefined) return { body: { recipient_id: recipientId } };
  const message = asRecord(jsonField(body.message));
  const messageId = `m_${randomId(40)}`;
  state.sent.push({
    channel: sender.channel,
    senderId: sender.senderId,
    recipientId,
    messagingType: String(body.messaging_type),
    tag: typeof body.tag === 'string' ? body.tag : undefined,
    text: typeof message.text === 'string' ? message.text : undefined,
    attachment: message.attachment,
    quickReplies: Array.isArray(message.quick_replies) ? message.quick_replies : undefined,
    metadata: typeof message.metadata === 'string' ? message.metadata : undefined,
    messageId,
    at: call.at,
  });
  return { body: { recipient_id: recipientId, message_id: messageId } };
};

/** Graph returns only the requested `fields` (plus id); without `fields` we return everything we know. */
export const pickFields = (all: Record<string, unknown>, fieldsParam: string | undefined) => {
  if (!fieldsParam) return all;
  const wanted = new Set(['id', ...fieldsParam.split(',').map((f) => f.trim().replace(/[{(].*$/, ''))]);
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
};

export const pageFields = (page: FakePage): Record<string, unknown> => ({
  id: page.id,
  name: page.name,
  ...(page.instagramBusinessAccountId ? { instagram_business_account: { id: page.instagramBusinessAccountId } } : {}),
  is_published: true,
});

const getObject = (state: GraphState, call: RecordedCall, id: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  // `me` is the Page for a Page token and the person for a user token.
  const objectId = id === 'me' ? (auth.info.pageId ?? auth.info.userId ?? id) : id;
  const page = state.pages.get(objectId);
  if (page) return { body: pickFields(pageFields(page), call.query.fields) };
  if (state.igToPage.has(objectId)) return { body: pickFields({ id: objectId, username: `ig_${objectId}` }, call.query.fields) };
  const user = state.users.get(objectId);
  if (user) return { body: pickFields({ id: user.userId, name: user.name }, call.query.fields) };
  return unsupportedRequest(call.method, id);
};

const subscribedApps = (state: GraphState, call: RecordedCall, pageId: string): FakeReply => {
  const auth = authenticate(state, call);
  if ('reply' in auth) return auth.reply;
  const page = state.pages.get(pageId);
  if (!page && !state.acceptAnyToken) return unsupportedRequest(call.method, pageId);
  if (auth.info.kind !== 'any' && (auth.info.kind !== 'page' || auth.info.pageId !== pageId)) {
    return graphError({ code: 210, message: '(#210) A page access token is required to request this resource.' });
  }
  if (!page) return call.method === 'GET' ? { body: { data: [] } } : { body: { success: true } };
  if (call.method === 'GET') {
    const data = page.subscribedFields ? [{ id: state.appId, name: state.appName, subscribed_fields: page.subscribedFields }] : [];
    return { body: { data } };
  }
  if (call.method === 'DELETE') {
    page.subscribedFields = undefined;
    return { body: { success: true } };
  }
  const raw = call.query.subscribed_fields ?? jsonField(asRecord(call.body).subscribed_fields);
  if (raw === undefined) return badParam('The parameter subscribed_fields is required');
  const fields = Array.isArray(raw)
    ? raw.map(String)
    : String(raw)
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
  const bad = fields.findIndex((f) => !PAGE_WEBHOOK_FIELDS.includes(f));
  if (bad >= 0)
    return badParam(`Param subscribed_fields[${bad}] must be one of {${PAGE_WEBHOOK_FIELDS.join(', ')}} - got "${fields[bad]}"`);
  page.subscribedFields = fields;
  return { body: { success: true } };
};

/** Routes for the Send API and Page objects; must come after more specific routes (OAuth, WhatsApp). */
export const messengerRoutes = (state: GraphState): Route[] => [
  ['POST', graphPath('/([^/]+)/messages'), (call, [id]) => sendMessage(state, call, id!)],
  [
    '*',
    graphPath('/([^/]+)/subscribed_apps'),
    (call, [id]) =>
      ['GET', 'POST', 'DELETE'].includes(call.method) ? subscribedApps(state, call, id!) : unsupportedRequest(call.method, id!),
  ],
  ['GET', graphPath('/([^/]+)'), (call, [id]) => getObject(state, call, id!)],
];
