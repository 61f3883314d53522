/**
 * Fake WhatsApp Cloud API send endpoint (meta-platform.md §8), served by the fake Graph server on
 * `POST /{v}/{phone-number-id}/messages` when `messaging_product` is `whatsapp`.
 * The real API often reports 131026/131047 asynchronously on the status webhook; this fake answers them
 * synchronously so tests can exercise the error paths without a webhook round trip.
 */
import { bearerToken, randomId, type FakeReply, type RecordedCall, type Route } from './recording-server.js';
import { graphPath } from './graph-messenger.js';
import { asRecord, graphError, type GraphState } from './graph-state.js';

const waError = (status: number, code: number, message: string, details: string): FakeReply =>
  graphError({ status, code, message, errorData: { messaging_product: 'whatsapp', details } });

/** `+44 7700-900 123` and `447700900123` name the same person. */
export const waDigits = (number: string) => number.replace(/\D/g, '');

const authenticateWhatsApp = (state: GraphState, call: RecordedCall): FakeReply | undefined => {
  const token = bearerToken(call) ?? call.query.access_token;
  if (!token) return waError(401, 190, 'An access token is required to request this resource.', 'Missing access token');
  const known = state.tokens.get(token);
  // error_subcode is deprecated on WhatsApp (absent from v16+), so only code 190 here.
  if (known && !known.valid)
    return waError(401, 190, 'Error validating access token: The session has been invalidated.', 'Invalid access token');
  const expected = state.whatsApp.token;
  if (!state.acceptAnyToken && expected !== undefined && token !== expected) {
    return waError(401, 190, 'Invalid OAuth access token - Cannot parse access token', 'Invalid access token');
  }
  return undefined;
};

/** Meta rejects template text params with newlines/tabs or > 4 consecutive spaces. */
const BAD_PARAM_TEXT = /[\n\t]| {5,}/;

const validateTemplate = (state: GraphState, template: Record<string, unknown>): FakeReply | { parameters: string[] } => {
  const name = template.name;
  const language = asRecord(template.language).code;
  if (typeof name !== 'string' || !name)
    return waError(400, 131008, 'Required parameter is missing', 'The parameter template[name] is required.');
  if (typeof language !== 'string' || !language) {
    return waError(400, 131008, 'Required parameter is missing', 'The parameter template[language][code] is required.');
  }
  const declared = state.whatsApp.templates.find((t) => t.name === name && t.language === language);
  if (!declared) {
    return waError(404, 132001, 'Template name does not exist in the translation', `template name (${name}) does not exist in ${language}`);
  }
  const components = Array.isArray(template.components) ? template.components.map(asRecord) : [];
  const bodyParams = components
    .filter((c) => c.type === 'body')
    .flatMap((c) => (Array.isArray(c.parameters) ? c.parameters.map(asRecord) : []));
  if (bodyParams.length !== declared.paramCount) {
    return waError(
      400,
      132000,
      'Number of parameters does not match the expected number of params',
      `body: number of localizable_params (${bodyParams.length}) does not match the expected number of params (${declared.paramCount})`,
    );
  }
  const texts = bodyParams.map((p) => (typeof p.text === 'string' ? p.text : ''));
  if (bodyParams.some((p, i) => p.type !== 'text' || !texts[i])) {
    return waError(400, 131008, 'Required parameter is missing', 'Each body parameter needs type "text" and a non-empty text.');
  }
  if (texts.some((t) => BAD_PARAM_TEXT.test(t))) {
    return waError(
      400,
      100,
      '(#100) Invalid parameter',
      'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
    );
  }
  return { parameters: texts };
};

const sendWhatsApp = (state: GraphState, call: RecordedCall, phoneNumberId: string): FakeReply | undefined => {
  const body = asRecord(call.body);
  // Not a WhatsApp request: let the Messenger route handle it.
  if (body.messaging_product !== 'whatsapp') return undefined;
  const authError = authenticateWhatsApp(state, call);
  if (authError) return authError;
  const to = typeof body.to === 'string' ? body.to : '';
  if (!to) return waError(400, 131008, 'Required parameter is missing', 'The parameter to is required.');
  const waId = waDigits(to);
  const type = body.type ?? 'text';
  if (type !== 'text' && type !== 'template') {
    return waError(400, 100, '(#100) Invalid parameter', `This fake only supports type text or template, got ${String(type)}`);
  }
  if (state.whatsApp.invalidNumbers.has(waId)) {
    return waError(400, 131026, 'Message undeliverable', 'Message Undeliverable.');
  }
  const messageId = `wamid.${randomId(48)}`;
  if (type === 'text') {
    const text = asRecord(body.text).body;
    if (typeof text !== 'string' || !text)
      return waError(400, 131008, 'Required parameter is missing', 'The parameter text[body] is required.');
    if (text.length > 4096) return waError(400, 100, '(#100) Invalid parameter', 'Param text[body] must be at most 4096 characters long.');
    // Free-form text only works inside the 24h customer service window.
    if (!state.whatsApp.openWindows.has(waId)) {
      return waError(
        400,
        131047,
        'Re-engagement message',
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      );
    }
    state.whatsApp.sent.push({ phoneNumberId, to, waId, type, text, messageId, at: call.at });
  } else {
    const template = asRecord(body.template);
    const checked = validateTemplate(state, template);
    if (!('parameters' in checked)) return checked;
    state.whatsApp.sent.push({
      phoneNumberId,
      to,
      waId,
      type,
      template: { name: String(template.name), language: String(asRecord(template.language).code), parameters: checked.parameters },
      messageId,
      at: call.at,
    });
  }
  return {
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: waId }],
      messages: [{ id: messageId, message_status: 'accepted' }],
    },
  };
};

/** Must be dispatched before the Messenger `/{id}/messages` route. */
export const whatsAppRoutes = (state: GraphState): Route[] => [
  ['POST', graphPath('/([^/]+)/messages'), (call, [phoneNumberId]) => sendWhatsApp(state, call, phoneNumberId!)],
];
