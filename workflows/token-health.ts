/**
 * Checks every connected Meta channel of one business every few hours and stops once none is connected;
 * connecting a channel starts it again. A failed round is logged and retried next round, never fatal.
 */
import { ActivityFailure, continueAsNew, log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

export type TokenHealthInput = { businessId: string; intervalMs?: number };
export type TokenHealthOutcome = { reason: 'no_connected_channels'; checks: number };

export const tokenHealthWorkflowId = (businessId: string) => `token-health:${businessId}`;

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;
const CHECKS_PER_RUN = 50;

const health = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  // A few quick retries; a longer outage simply waits for the next round.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 3 },
});

export async function tokenHealthWorkflow(input: TokenHealthInput): Promise<TokenHealthOutcome> {
  for (let checks = 1; ; checks++) {
    try {
      const result = await health.checkChannelTokens({ businessId: input.businessId });
      // Tell the business (by email) about channels that now need reconnecting.
      await health.sendBusinessAlerts({ businessId: input.businessId });
      if (result.connected === 0) return { reason: 'no_connected_channels', checks };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('token health round failed; trying again next round', { error: err.message });
    }
    await sleep(input.intervalMs ?? SIX_HOURS_MS);
    if (checks >= CHECKS_PER_RUN || workflowInfo().continueAsNewSuggested) await continueAsNew<typeof tokenHealthWorkflow>(input);
  }
}
