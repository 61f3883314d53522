/** Prometheus metrics of the API process, on a registry of its own (tests build many apps in one process). */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const createMetrics = (opts: { collectDefaults?: boolean } = {}) => {
  const registry = new Registry();
  if (opts.collectDefaults) collectDefaultMetrics({ register: registry, prefix: 'luxleads_api_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'luxleads_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'luxleads_webhook_events_total',
      help: 'Webhook events by source and outcome',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    temporalDispatch: new Histogram({
      name: 'luxleads_temporal_dispatch_seconds',
      help: 'signalWithStart latency of inbound events handed to Temporal, by signal and outcome (error = not stored: 503)',
      labelNames: ['signal', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
};
export type Metrics = ReturnType<typeof createMetrics>;
