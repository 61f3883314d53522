/** Request and response schemas of the billing routes; the OpenAPI document is generated from these. */
import { z } from 'zod';
import { PAID_PLANS } from '../../domain/plans.js';

export const CheckoutBodySchema = z.object({ plan: z.enum(PAID_PLANS).describe('The plan to buy: starter, growth or pro') }).strict();
export type CheckoutBody = z.infer<typeof CheckoutBodySchema>;

export const SessionUrlSchema = z.object({ url: z.url().describe('Send the owner here (Stripe-hosted page)') });

const LimitsSchema = z.object({
  conversationsPerMonth: z.number().int().nullable().describe('null: no limit'),
  channels: z.number().int().nullable(),
  seats: z.number().int().nullable(),
});

const UsedOfLimitSchema = z.object({ used: z.number().int(), limit: z.number().int() });

export const BillingViewSchema = z.object({
  plan: z.object({ id: z.string(), name: z.string(), limits: LimitsSchema }),
  status: z.enum(['trialing', 'active', 'past_due', 'paused', 'canceled']),
  canReply: z.boolean().describe('Whether the assistant answers customers now'),
  reason: z
    .enum(['trial_ended', 'payment_failed', 'paused_in_stripe', 'canceled'])
    .nullable()
    .describe('Why the assistant does not answer (null while it does)'),
  trialEndsAt: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  graceEndsAt: z.string().nullable().describe('Past due: the assistant pauses at this time unless the payment goes through'),
  serviceUntil: z.string().nullable().describe('Canceled: the assistant answers until this time'),
  usage: z.object({
    period: z.string().describe('Calendar month (UTC), e.g. 2026-05'),
    periodEnd: z.string(),
    conversations: z.number().int().describe('Conversations the assistant answered this month (each counted once)'),
    channels: z
      .number()
      .int()
      .describe('Facebook Pages and Instagram accounts connected or waiting for reconnection (the website chat is not counted)'),
    seats: z.number().int().describe('Members (the owner included) plus pending invitations'),
  }),
  overLimit: z
    .object({ channels: UsedOfLimitSchema.optional(), seats: UsedOfLimitSchema.optional() })
    .nullable()
    .describe(
      'What the business uses beyond its plan (after a downgrade); null when within it. Nothing is disconnected: new channels and invitations are refused until it is back within the plan.',
    ),
  isStripeConfigured: z.boolean().describe('false: this server runs every business on the unlimited local plan'),
  hasPortal: z.boolean().describe('The owner can open the Stripe customer portal (invoices, card, cancel)'),
  plans: z.array(z.object({ id: z.enum(PAID_PLANS), name: z.string(), limits: LimitsSchema, canBuy: z.boolean() })),
});
export type BillingView = z.infer<typeof BillingViewSchema>;

/** The documented shape of what Stripe posts (the signature, not this schema, is what is checked). */
export const StripeEventBodySchema = z.object({
  id: z.string().describe('evt_…'),
  type: z.string().describe('e.g. invoice.paid'),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
