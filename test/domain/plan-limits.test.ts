import { describe, expect, it } from 'vitest';
import { billingPageUrl, overLimitOf } from '../../domain/plan-limits.js';
import { PLANS } from '../../domain/plans.js';

describe('overLimitOf', () => {
  it('names only the limits the usage exceeds; at the limit is within it', () => {
    expect(overLimitOf(PLANS.starter, { channels: 2, seats: 2 })).toEqual({});
    expect(overLimitOf(PLANS.starter, { channels: 3, seats: 2 })).toEqual({ channels: { used: 3, limit: 2 } });
    expect(overLimitOf(PLANS.starter, { channels: 1, seats: 4 })).toEqual({ seats: { used: 4, limit: 2 } });
    expect(overLimitOf(PLANS.trial, { channels: 6, seats: 5 })).toEqual({ channels: { used: 6, limit: PLANS.growth.limits.channels } });
  });

  it('finds nothing over the unlimited local plan', () => {
    expect(overLimitOf(PLANS.local, { channels: 1_000, seats: 1_000 })).toEqual({});
  });

  it('points at the web app’s billing page', () => {
    expect(billingPageUrl('https://app.example/')).toBe('https://app.example/app/billing');
  });
});
