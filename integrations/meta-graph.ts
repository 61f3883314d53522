/** A small fetch-based Graph API client (Messenger and Instagram Send API, Pages, OAuth), base URL from config. */
import { hmacSha256Hex } from '../lib/crypto.js';
import { GraphError, graphErrorFromFetchFailure, graphErrorFromResponse } from './graph-errors.js';

export type MetaGraphOptions = { baseUrl: string; version: string; appId?: string; appSecret?: string; timeoutMs?: number };

export type SendMessageBody = {
  recipient: { id: string };
  messaging_type: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  message: { text: string; quick_replies?: { content_type: 'text'; title: string; payload: string }[]; metadata?: string };
};

/** `granular_scopes[].target_ids`: the Pages (or Instagram accounts) a permission was granted on. */
export type DebugTokenData = {
  is_valid: boolean;
  app_id?: string;
  expires_at?: number;
  scopes?: string[];
  granular_scopes?: { scope: string; target_ids?: string[] }[];
  user_id?: string;
};

export type MetaGraphClient = ReturnType<typeof createMetaGraphClient>;

export const createMetaGraphClient = (opts: MetaGraphOptions) => {
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/${opts.version}`;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  const call = async <T>(
    method: string,
    path: string,
    params: { token?: string; query?: Record<string, string>; body?: unknown } = {},
  ): Promise<T> => {
    const url = new URL(`${root}/${path.replace(/^\/+/, '')}`);
    for (const [k, v] of Object.entries(params.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (params.token) {
      headers.authorization = `Bearer ${params.token}`;
      // Required when the app has "Require App Secret" switched on; harmless otherwise.
      if (opts.appSecret) url.searchParams.set('appsecret_proof', hmacSha256Hex(opts.appSecret, params.token));
    }
    if (params.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: params.body === undefined ? undefined : JSON.stringify(params.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw graphErrorFromFetchFailure(err);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // Cut off while reading the answer: Meta answered, so a 2xx means it acted; we just lost what it said.
      throw res.ok
        ? new GraphError('transient', res.status, undefined, undefined, `Graph API answer cut off (${(err as Error).name})`, true)
        : graphErrorFromResponse(res.status, undefined);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // Non-JSON error pages (proxies, 5xx) are classified by status alone.
    }
    if (!res.ok) throw graphErrorFromResponse(res.status, json);
    return json as T;
  };

  return {
    /** The longest one call can take; delivery claims are judged against it. */
    timeoutMs,
    /**
     * The Send API takes no idempotency key: a repeated POST is a second message to the customer. Callers that
     * retry must know whether the first one went out (GraphError.isOutcomeUnknown; activities/delivery-claims.ts).
     */
    sendMessage: (senderId: string, token: string, body: SendMessageBody) =>
      call<{ recipient_id: string; message_id: string }>('POST', `${senderId}/messages`, { token, body }),
    sendSenderAction: (senderId: string, token: string, recipientId: string, action: 'typing_on' | 'typing_off' | 'mark_seen') =>
      call<{ recipient_id: string }>('POST', `${senderId}/messages`, {
        token,
        body: { recipient: { id: recipientId }, sender_action: action },
      }),
    exchangeCode: (code: string, redirectUri: string) =>
      call<{ access_token: string; expires_in?: number }>('GET', 'oauth/access_token', {
        query: { client_id: opts.appId ?? '', client_secret: opts.appSecret ?? '', redirect_uri: redirectUri, code },
      }),
    exchangeLongLived: (shortToken: string) =>
      call<{ access_token: string; expires_in?: number }>('GET', 'oauth/access_token', {
        query: {
          grant_type: 'fb_exchange_token',
          client_id: opts.appId ?? '',
          client_secret: opts.appSecret ?? '',
          fb_exchange_token: shortToken,
        },
      }),
    /**
     * One Page the person granted a Page permission on, read with their user token: its name and Page token, plus
     * any extra `fields`. Reaches no Page they did not pick in the dialog, unlike `/me/accounts` (pages_show_list).
     */
    pageForUser: (pageId: string, userToken: string, extraFields: string[] = []) =>
      call<{ id: string; name?: string; access_token?: string; instagram_business_account?: { id: string } }>('GET', pageId, {
        token: userToken,
        query: { fields: ['id', 'name', 'access_token', ...extraFields].join(',') },
      }),
    getPage: (pageId: string, pageToken: string) =>
      call<{ id: string; name?: string; is_published?: boolean }>('GET', pageId, {
        token: pageToken,
        query: { fields: 'id,name,is_published' },
      }),
    subscribeApp: (pageId: string, pageToken: string, fields: string[]) =>
      call<{ success: boolean }>('POST', `${pageId}/subscribed_apps`, { token: pageToken, query: { subscribed_fields: fields.join(',') } }),
    unsubscribeApp: (pageId: string, pageToken: string) =>
      call<{ success: boolean }>('DELETE', `${pageId}/subscribed_apps`, { token: pageToken }),
    listSubscribedApps: (pageId: string, pageToken: string) =>
      call<{ data: { id: string; subscribed_fields?: string[] }[] }>('GET', `${pageId}/subscribed_apps`, { token: pageToken }),
    revokePermissions: (userId: string, token: string) => call<{ success: boolean }>('DELETE', `${userId}/permissions`, { token }),
    debugToken: (inputToken: string) =>
      call<{ data: DebugTokenData }>('GET', 'debug_token', {
        query: { input_token: inputToken, access_token: `${opts.appId ?? ''}|${opts.appSecret ?? ''}` },
      }),
    /** One page of the person's Page-scoped ids; `after` is the previous page's cursor. */
    idsForPages: (asid: string, token: string, after?: string) =>
      call<{ data: { id: string; page: { id: string; name?: string } }[]; paging?: { cursors?: { after?: string }; next?: string } }>(
        'GET',
        `${asid}/ids_for_pages`,
        {
          token,
          query: { limit: '100', ...(after ? { after } : {}) },
        },
      ),
  };
};
