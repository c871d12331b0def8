/**
 * Prometheus metrics. One registry per app instance (tests build many apps in one process).
 */
import { Registry, collectDefaultMetrics } from 'prom-client';
import { TalliedCounter, TalliedHistogram } from './tally.js';

export interface Metrics {
  readonly registry: Registry;
  readonly decisions: TalliedCounter<'result' | 'kind'>;
  readonly decisionSeconds: TalliedHistogram<'kind'>;
  readonly httpRequests: TalliedCounter<'family' | 'status'>;
  readonly httpSeconds: TalliedHistogram<'family' | 'method' | 'route'>;
  /** Decisions the shadow policy also made, by whether it answered the same. */
  readonly shadowDecisions: TalliedCounter<'kind' | 'outcome'>;
}

export function createMetrics(options: { defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    decisions: new TalliedCounter({
      name: 'portcullis_decisions_total',
      help: 'Authorization decisions by result (allow/deny) and kind (resource/permission)',
      labelNames: ['result', 'kind'],
      registers: [registry],
    }),
    decisionSeconds: new TalliedHistogram({
      name: 'portcullis_decision_duration_seconds',
      help: 'Time spent deciding, in-process (excludes HTTP)',
      labelNames: ['kind'],
      // From 10 µs (a typical decision) to 1 s (a pathological one), so slow tails are visible too.
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    shadowDecisions: new TalliedCounter({
      name: 'portcullis_shadow_decisions_total',
      help: 'Decisions the shadow policy (PORTCULLIS_SHADOW_POLICY_DIR) also made, by kind and outcome (agree/disagree with the live answer)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    httpRequests: new TalliedCounter({
      name: 'portcullis_http_requests_total',
      help: 'HTTP requests by API family and status code',
      labelNames: ['family', 'status'],
      registers: [registry],
    }),
    httpSeconds: new TalliedHistogram({
      name: 'portcullis_http_request_duration_seconds',
      help: 'HTTP request duration, from the request reaching the app to the response body set, by API family, method and route template',
      labelNames: ['family', 'method', 'route'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
