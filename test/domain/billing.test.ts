import { describe, expect, it } from 'vitest';
import { serviceVerdict, usagePeriodOf, periodBoundsOf, type BillingRecord } from '../../domain/billing.js';
import { PLANS, planOfSubscription, stripePricesFrom, usageAlertAt } from '../../domain/plans.js';
import { DAY_MS } from '../../lib/durations.js';

const NOW = Date.UTC(2026, 4, 20, 12);
const record = (over: Partial<BillingRecord>): BillingRecord => ({ businessId: 'biz_1', plan: 'growth', status: 'active', ...over });

describe('plans and the service verdict', () => {
  it('answers within the plan’s limits while trialing, active or in grace', () => {
    expect(serviceVerdict(null, NOW)).toEqual({ canReply: true, limits: PLANS.trial.limits });
    expect(serviceVerdict(record({ plan: 'starter' }), NOW)).toEqual({ canReply: true, limits: PLANS.starter.limits });
    expect(serviceVerdict(record({ status: 'past_due', graceEndsAt: NOW + DAY_MS }), NOW).canReply).toBe(true);
    expect(serviceVerdict(record({ plan: 'local' }), NOW)).toEqual({
      canReply: true,
      limits: { conversationsPerMonth: null, channels: null, seats: null },
    });
  });

  it('stops at the trial’s or the grace period’s end even before the workflow has written it', () => {
    expect(serviceVerdict(record({ plan: 'trial', status: 'trialing', trialEndsAt: NOW }), NOW)).toEqual({
      canReply: false,
      reason: 'trial_ended',
    });
    // A Stripe-side trial is Stripe's to end.
    expect(serviceVerdict(record({ status: 'trialing', trialEndsAt: NOW - 1, stripeSubscriptionId: 'sub_1' }), NOW).canReply).toBe(true);
    expect(serviceVerdict(record({ status: 'past_due', graceEndsAt: NOW }), NOW)).toEqual({ canReply: false, reason: 'payment_failed' });
    expect(serviceVerdict(record({ status: 'paused', reason: 'payment_failed' }), NOW)).toEqual({
      canReply: false,
      reason: 'payment_failed',
    });
  });

  it('canceled: answers until the end of the period paid for', () => {
    expect(serviceVerdict(record({ status: 'canceled', serviceUntil: NOW + 1 }), NOW).canReply).toBe(true);
    expect(serviceVerdict(record({ status: 'canceled', serviceUntil: NOW }), NOW)).toEqual({ canReply: false, reason: 'canceled' });
  });

  it('counts per calendar month (UTC) and alerts at 80% and 100%', () => {
    expect(usagePeriodOf(NOW)).toBe('2026-05');
    expect(periodBoundsOf('2026-12')).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
    expect(usageAlertAt(300, 80)).toBe(240);
    expect(usageAlertAt(300, 100)).toBe(300);
    expect(usageAlertAt(1, 80)).toBe(1);
  });

  it('finds a subscription’s plan by its price, then by the plan its metadata names', () => {
    const prices = stripePricesFrom({ STRIPE_PRICE_STARTER: 'price_s', STRIPE_PRICE_GROWTH: 'price_g', STRIPE_PRICE_PRO: undefined });
    expect(planOfSubscription(prices, 'price_g', undefined)).toBe('growth');
    expect(planOfSubscription(prices, 'price_retired', 'pro')).toBe('pro');
    expect(planOfSubscription(prices, 'price_retired', 'gold')).toBeUndefined();
  });
});
