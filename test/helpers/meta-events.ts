/** Builds Messenger/Instagram webhook bodies the way Meta sends them, and signs them. */
import { signMetaBody } from '../../api/meta/signature.js';

let seq = 0;
export const mid = (prefix = 'm') => `${prefix}_${Date.now().toString(36)}_${(seq++).toString(36)}`;

export const messagingEvent = (o: { pageId: string; senderId: string; text: string; mid?: string; timestamp?: number }) => ({
  sender: { id: o.senderId },
  recipient: { id: o.pageId },
  timestamp: o.timestamp ?? Date.now(),
  message: { mid: o.mid ?? mid(), text: o.text },
});

export const echoEvent = (o: {
  pageId: string;
  recipientId: string;
  text: string;
  appId?: number | string;
  mid?: string;
  metadata?: string;
}) => ({
  sender: { id: o.pageId },
  recipient: { id: o.recipientId },
  timestamp: Date.now(),
  message: {
    is_echo: true,
    mid: o.mid ?? mid('echo'),
    text: o.text,
    ...(o.appId !== undefined ? { app_id: o.appId } : {}),
    ...(o.metadata ? { metadata: o.metadata } : {}),
  },
});

export const webhookBody = (object: 'page' | 'instagram', entries: { id: string; messaging: unknown[] }[]) => ({
  object,
  entry: entries.map((e) => ({ id: e.id, time: Date.now(), messaging: e.messaging })),
});

/** Serialises like Meta does: non-ASCII escaped as \uXXXX and slashes as \/, then signs those exact bytes. */
export const metaJson = (body: unknown) =>
  JSON.stringify(body)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');

export const signed = (raw: string, secret: string) => ({ raw, signature: signMetaBody(raw, secret) });
