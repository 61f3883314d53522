/**
 * Worker metrics for Prometheus: the Temporal SDK's own exporter (workflow/activity task counts and failures,
 * schedule-to-start latency, sticky cache, poller state) plus one LuxLeads counter of activity outcomes by
 * activity type (notifications sent, conversations purged, deletions run…), served on WORKER_METRICS_ADDRESS.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Runtime, type ActivityInterceptorsFactory } from '@temporalio/worker';

/** Must run before the first NativeConnection or Worker is created (it configures the process-wide Runtime). */
export const installWorkerMetrics = (bindAddress: string | undefined): boolean => {
  if (!bindAddress) return false;
  Runtime.install({
    telemetryOptions: { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } },
  });
  return true;
};

/** Activity attempts by type and outcome: completed, retrying (will be retried) or failed (non-retryable). */
export const activityOutcomeMetrics: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      // The activity meter already tags activityType, namespace and taskQueue.
      const outcomes = ctx.metricMeter.createCounter(
        'luxleads_activity_outcomes',
        'attempts',
        'LuxLeads activity attempts by type and outcome',
      );
      try {
        const result = await next(input);
        outcomes.add(1, { outcome: 'completed' });
        return result;
      } catch (err) {
        outcomes.add(1, { outcome: err instanceof ApplicationFailure && err.nonRetryable ? 'failed' : 'retrying' });
        throw err;
      }
    },
  },
});
