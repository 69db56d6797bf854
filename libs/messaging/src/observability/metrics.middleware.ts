import { failureCode } from '../errors/handler-errors';
import type { Middleware } from '../ports/subscriber.port';
import { MessagingMetrics } from './metrics';

export interface MetricsMiddlewareOptions {
  /** Milliseconds from an arbitrary origin; injectable so tests can assert exact durations. */
  readonly now?: () => number;
}

/**
 * Counts and times every handler attempt. Place it right inside the retry middleware (between
 * retry and timeout): it must see each attempt (attempt > 1 is a retry), each attempt's own
 * failure code, and a timeout as a failure. Outside deadLetter it would be wrong, not just
 * coarse: a dead-lettered message resolves there and would count as processed, and retries
 * would never be seen. The error is rethrown untouched.
 */
export function metricsMiddleware(
  metrics: MessagingMetrics = new MessagingMetrics(),
  options: MetricsMiddlewareOptions = {},
): Middleware {
  const now = options.now ?? (() => performance.now());
  return (next) => async (delivery) => {
    const { group, topic } = delivery;
    if (delivery.attempt > 1) metrics.retried(group, topic);
    const started = now();
    try {
      await next(delivery);
    } catch (err) {
      metrics.processingFailed(group, topic, failureCode(err), (now() - started) / 1000);
      throw err;
    }
    metrics.processed(group, topic, (now() - started) / 1000);
  };
}
