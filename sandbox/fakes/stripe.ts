/**
 * Fake Stripe API for the real `stripe` v23 client (form-encoded requests, Bearer secret key).
 *
 * Point the client at it: `new Stripe('sk_test_x', { ...fake.clientOptions() })`, i.e.
 * `{ host: '127.0.0.1', port: fake.port, protocol: 'http' }` (app config: STRIPE_API_URL=<fake.url>, split
 * into host/port/protocol). The client retries 409/5xx twice by default (≥0.5 s apart) reusing the same
 * Idempotency-Key, and keys every POST itself; pass `maxNetworkRetries: 0` to see injected failures directly.
 */
import {
  dispatch,
  randomId,
  startRecordingServer,
  bearerToken,
  type FakeReply,
  type RecordedCall,
  type RecordingServer,
  type Route,
} from './recording-server.js';
import {
  buildCustomer,
  buildEvent,
  buildInvoice,
  buildSubscription,
  createStripeState,
  mergeMetadata,
  missingParam,
  missingResource,
  nowSeconds,
  stripeError,
  stripeId,
  type StripeObject,
  type StripeState,
  type SubscriptionSpec,
} from './stripe-objects.js';

export { signStripeWebhook, STRIPE_API_VERSION, type StripeObject, type SubscriptionSpec } from './stripe-objects.js';

export type FakeStripe = RecordingServer & {
  readonly state: StripeState;
  /** Spread into the Stripe constructor config. */
  clientOptions(): { host: string; port: number; protocol: 'http' };
  addCustomer(params?: { email?: string; name?: string; metadata?: Record<string, string> }): StripeObject;
  addSubscription(spec: SubscriptionSpec): StripeObject;
  /** Store an event so `stripe.events.retrieve(id)` finds it; returns the event. */
  addEvent(type: string, object: StripeObject): StripeObject;
  /**
   * What happens when the buyer pays: the session completes, a customer and (subscription mode) a
   * subscription appear, and a `checkout.session.completed` event is stored. `payload` is the exact
   * webhook body to sign with `signStripeWebhook` and POST to the app.
   */
  completeCheckoutSession(sessionId: string): { event: StripeObject; subscription?: StripeObject; payload: string };
  /** Changes a subscription as Stripe would (a failed renewal: past_due…) and stores `customer.subscription.updated`. */
  updateSubscription(id: string, patch: Partial<StripeObject>): StripeObject;
  /** Stores an `invoice.*` event for a subscription's latest invoice (API-version shape: parent.subscription_details). */
  addInvoiceEvent(type: 'invoice.paid' | 'invoice.payment_failed', subscriptionId: string): StripeObject;
};

export type FakeStripeOptions = {
  port?: number;
  host?: string;
  /** Require exactly this secret key (default: any non-empty). */ apiKey?: string;
};

type Body = Record<string, unknown>;
const asBody = (call: RecordedCall): Body => (call.body && typeof call.body === 'object' ? (call.body as Body) : {});

export const startFakeStripe = async (options: FakeStripeOptions = {}): Promise<FakeStripe> => {
  const state = createStripeState();
  const idempotent = new Map<string, { fingerprint: string; reply: FakeReply }>();
  let baseUrl = '';

  const checkAuth = (call: RecordedCall): FakeReply | undefined => {
    const key = bearerToken(call);
    if (!key) {
      return stripeError(
        401,
        'invalid_request_error',
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${key.slice(0, 8)}********`);
    }
    return undefined;
  };

  const createCustomer = (call: RecordedCall): FakeReply => {
    const customer = buildCustomer(asBody(call));
    state.customers.set(customer.id, customer);
    return { body: customer };
  };

  const updateCustomer = (call: RecordedCall, id: string): FakeReply => {
    const customer = state.customers.get(id);
    if (!customer) return missingResource('customer', id);
    const { metadata, ...rest } = asBody(call);
    Object.assign(customer, rest, { metadata: mergeMetadata(customer.metadata, metadata) });
    return { body: customer };
  };

  /** Stripe cancels the customer's subscriptions at once; the customer then reads as `{ deleted: true }`. */
  const deleteCustomer = (id: string): FakeReply => {
    const customer = state.customers.get(id);
    if (!customer || customer.deleted) return missingResource('customer', id);
    for (const subscription of state.subscriptions.values())
      if (subscription.customer === id && subscription.status !== 'canceled') cancelSubscription(subscription.id);
    state.customers.set(id, { id, object: 'customer', deleted: true });
    return { body: { id, object: 'customer', deleted: true } };
  };

  const createCheckoutSession = (call: RecordedCall): FakeReply => {
    const params = asBody(call);
    if (!params.mode) return missingParam('mode');
    if (!['payment', 'subscription', 'setup'].includes(String(params.mode))) {
      return stripeError(400, 'invalid_request_error', `Invalid mode: must be one of payment, setup, or subscription`, { param: 'mode' });
    }
    const lineItems = Array.isArray(params.line_items) ? (params.line_items as Body[]) : [];
    if (params.mode !== 'setup' && lineItems.length === 0) return missingParam('line_items');
    if (params.customer && !state.customers.has(String(params.customer)))
      return missingResource('customer', String(params.customer), 'customer');
    const id = `cs_test_${randomId(58)}`;
    const session: StripeObject = {
      id,
      object: 'checkout.session',
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: nowSeconds(),
      customer: params.customer ?? null,
      customer_email: params.customer_email ?? null,
      expires_at: nowSeconds() + 24 * 3600,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      mode: params.mode,
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: params.success_url ?? null,
      url: `${baseUrl}/c/pay/${id}`,
      // Not part of Stripe's response (line_items is expandable only); kept so completion knows the price.
      _fake: {
        lineItems,
        subscriptionMetadata: (params.subscription_data as Body | undefined)?.metadata,
        trialEnd: (params.subscription_data as Body | undefined)?.trial_end,
      },
    };
    state.checkoutSessions.set(id, session);
    return { body: publicView(session) };
  };

  const updateSubscription = (call: RecordedCall, id: string): FakeReply => {
    const subscription = state.subscriptions.get(id);
    if (!subscription) return missingResource('subscription', id);
    const params = asBody(call);
    if (params.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = params.cancel_at_period_end === 'true';
    subscription.metadata = mergeMetadata(subscription.metadata, params.metadata);
    return { body: subscription };
  };

  const cancelSubscription = (id: string): FakeReply => {
    const subscription = state.subscriptions.get(id);
    if (!subscription) return missingResource('subscription', id);
    // Cancelling twice returns the canceled subscription (real behaviour not verified here).
    if (subscription.status !== 'canceled') {
      Object.assign(subscription, { status: 'canceled', canceled_at: nowSeconds(), ended_at: nowSeconds() });
      addEvent('customer.subscription.deleted', subscription);
    }
    return { body: subscription };
  };

  const createPortalSession = (call: RecordedCall): FakeReply => {
    const params = asBody(call);
    if (!params.customer) return missingParam('customer');
    if (!state.customers.has(String(params.customer))) return missingResource('customer', String(params.customer), 'customer');
    const id = stripeId('bps');
    const session: StripeObject = {
      id,
      object: 'billing_portal.session',
      configuration: 'bpc_fake',
      created: nowSeconds(),
      customer: params.customer,
      livemode: false,
      locale: null,
      return_url: params.return_url ?? null,
      url: `${baseUrl}/p/session/${id}`,
    };
    state.portalSessions.set(id, session);
    return { body: session };
  };

  const retrieve =
    (map: Map<string, StripeObject>, kind: string) =>
    (_call: RecordedCall, [id]: string[]) => {
      const found = map.get(id!);
      return found ? { body: publicView(found) } : missingResource(kind, id!);
    };

  const routes: Route[] = [
    ['POST', /^\/v1\/customers$/, createCustomer],
    ['GET', /^\/v1\/customers\/([^/]+)$/, retrieve(state.customers, 'customer')],
    ['POST', /^\/v1\/customers\/([^/]+)$/, (c, [id]) => updateCustomer(c, id!)],
    ['DELETE', /^\/v1\/customers\/([^/]+)$/, (_c, [id]) => deleteCustomer(id!)],
    ['POST', /^\/v1\/checkout\/sessions$/, createCheckoutSession],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, retrieve(state.checkoutSessions, 'checkout.session')],
    ['GET', /^\/v1\/subscriptions\/([^/]+)$/, retrieve(state.subscriptions, 'subscription')],
    ['POST', /^\/v1\/subscriptions\/([^/]+)$/, (c, [id]) => updateSubscription(c, id!)],
    ['DELETE', /^\/v1\/subscriptions\/([^/]+)$/, (_c, [id]) => cancelSubscription(id!)],
    ['GET', /^\/v1\/events\/([^/]+)$/, retrieve(state.events, 'event')],
    ['POST', /^\/v1\/billing_portal\/sessions$/, createPortalSession],
  ];

  /** Stripe replays the stored answer for a reused key with the same params, and refuses other params. */
  const handle = async (call: RecordedCall): Promise<FakeReply> => {
    // Hosted pages (checkout / billing portal URLs) so a browser in a demo lands somewhere.
    if (call.method === 'GET' && /^\/(c\/pay|p\/session)\//.test(call.path)) {
      return { raw: `<html><body><h1>Fake Stripe page</h1><p>${call.path}</p></body></html>`, headers: { 'content-type': 'text/html' } };
    }
    const authError = checkAuth(call);
    if (authError) return authError;
    // Stripe ignores Idempotency-Key on GET; only writes are keyed.
    const key = call.method === 'POST' || call.method === 'DELETE' ? call.headers['idempotency-key'] : undefined;
    const fingerprint = `${call.method} ${call.path} ${JSON.stringify(call.body ?? null)}`;
    const previous = key ? idempotent.get(key) : undefined;
    if (key && previous) {
      if (previous.fingerprint !== fingerprint) {
        return stripeError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { ...previous.reply, headers: { ...previous.reply.headers, 'idempotent-replayed': 'true' } };
    }
    const reply = await dispatch(routes, call, (c) =>
      stripeError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${c.method}: ${c.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      ),
    );
    const withId: FakeReply = { ...reply, headers: { 'request-id': `req_${randomId(14)}`, ...reply.headers } };
    if (key && (reply.status ?? 200) < 400) idempotent.set(key, { fingerprint, reply: withId });
    return withId;
  };

  const addEvent = (type: string, object: StripeObject) => {
    const event = buildEvent(type, structuredClone(publicView(object)));
    state.events.set(event.id, event);
    return event;
  };

  const server = await startRecordingServer({
    name: 'fake Stripe',
    port: options.port,
    host: options.host,
    handle,
    faultBody: (status) =>
      status === 429
        ? { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly (injected).' } }
        : { error: { type: 'api_error', message: `An unknown error occurred (injected ${status}).` } },
    debugState: () =>
      Object.fromEntries(Object.entries(state).map(([k, v]) => [k, [...(v as Map<string, StripeObject>).values()].map(publicView)])),
    onReset: () => idempotent.clear(),
  });
  baseUrl = server.url;

  return Object.assign(server, {
    state,
    clientOptions: () => ({ host: new URL(server.url).hostname, port: server.port, protocol: 'http' as const }),
    addCustomer: (params: { email?: string; name?: string; metadata?: Record<string, string> } = {}) => {
      const customer = buildCustomer(params);
      state.customers.set(customer.id, customer);
      return customer;
    },
    addSubscription: (spec: SubscriptionSpec) => {
      const subscription = buildSubscription(spec);
      state.subscriptions.set(subscription.id, subscription);
      return subscription;
    },
    addEvent,
    completeCheckoutSession: (sessionId: string) => {
      const session = state.checkoutSessions.get(sessionId);
      if (!session) throw new Error(`fake Stripe: no checkout session ${sessionId}`);
      const fake = session._fake as { lineItems: Body[]; subscriptionMetadata?: unknown; trialEnd?: unknown };
      if (!session.customer) {
        const customer = buildCustomer({ email: session.customer_email ?? undefined });
        state.customers.set(customer.id, customer);
        session.customer = customer.id;
      }
      let subscription: StripeObject | undefined;
      if (session.mode === 'subscription') {
        subscription = buildSubscription({
          customer: String(session.customer),
          priceId: typeof fake.lineItems[0]?.price === 'string' ? fake.lineItems[0].price : undefined,
          metadata: mergeMetadata({}, fake.subscriptionMetadata),
          ...(fake.trialEnd ? { status: 'trialing' as const, trialEnd: Number(fake.trialEnd) } : {}),
        });
        state.subscriptions.set(subscription.id, subscription);
        session.subscription = subscription.id;
      }
      Object.assign(session, { status: 'complete', payment_status: session.mode === 'setup' ? 'no_payment_required' : 'paid' });
      const event = addEvent('checkout.session.completed', session);
      return { event, subscription, payload: JSON.stringify(event, null, 2) };
    },
    updateSubscription: (id: string, patch: Partial<StripeObject>) => {
      const subscription = state.subscriptions.get(id);
      if (!subscription) throw new Error(`fake Stripe: no subscription ${id}`);
      Object.assign(subscription, patch);
      return addEvent('customer.subscription.updated', subscription);
    },
    addInvoiceEvent: (type: 'invoice.paid' | 'invoice.payment_failed', subscriptionId: string) => {
      const subscription = state.subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
      return addEvent(type, buildInvoice(subscription, type === 'invoice.paid' ? 'paid' : 'open'));
    },
  });
};

/** Drop fake-only bookkeeping fields (prefixed `_`) before an object leaves the fake. */
const publicView = (object: StripeObject): StripeObject =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('_'))) as StripeObject;
