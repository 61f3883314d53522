/**
 * The Stripe client, built from config with its base URL (STRIPE_API_URL), so `npm start`, the tests and the
 * benchmarks aim the real `stripe` library at stripe-mock or the sandbox's fake Stripe.
 */
import Stripe from 'stripe';
import type { Config } from '../config/schema.js';

export type StripeClientOptions = {
  secretKey: string;
  /** e.g. https://api.stripe.com (default) or http://127.0.0.1:12111 */
  apiUrl: string;
  /** The library retries network errors, 409 and 5xx with the same Idempotency-Key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
};

export const createStripeClient = (o: StripeClientOptions): Stripe => {
  const url = new URL(o.apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(o.secretKey, {
    host: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    maxNetworkRetries: o.maxNetworkRetries ?? 2,
    timeout: o.timeoutMs ?? 20_000,
  });
};

/** The client for this config; undefined while STRIPE_SECRET_KEY is unset (every business is then on the local plan). */
export const stripeClientFrom = (config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL'>): Stripe | undefined =>
  config.STRIPE_SECRET_KEY ? createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiUrl: config.STRIPE_API_URL }) : undefined;

/** Verifies `Stripe-Signature` over the exact bytes received; throws StripeSignatureVerificationError otherwise. */
export const verifyStripeEvent = (raw: Buffer, signature: string, webhookSecret: string): Stripe.Event =>
  Stripe.webhooks.constructEvent(raw, signature, webhookSecret);

export const isStripeSignatureError = (err: unknown) => err instanceof Stripe.errors.StripeSignatureVerificationError;

/** A 404 for a missing object (deleted customer, unknown subscription). */
export const isStripeMissing = (err: unknown) =>
  err instanceof Stripe.errors.StripeInvalidRequestError && (err.code === 'resource_missing' || err.statusCode === 404);

/** Stripe refused the request itself (4xx other than 409/429): retrying the same request cannot help. */
export const isStripeRefusal = (err: unknown) => {
  const status = err instanceof Stripe.errors.StripeError ? err.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429;
};

export type { Stripe };
