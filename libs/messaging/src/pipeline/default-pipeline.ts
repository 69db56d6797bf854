import { z } from 'zod';
import type { TopicDeclaration } from '@bulwark/contracts';
import { correlation } from '../middleware/correlation.middleware';
import { deadLetter } from '../middleware/dead-letter.middleware';
import { deduplication } from '../middleware/deduplication.middleware';
import { fn, parseOptions, port } from '../middleware/parse-options';
import { retry, type RetryOptions } from '../middleware/retry.middleware';
import { schemaValidation } from '../middleware/schema-validation.middleware';
import { timeout } from '../middleware/timeout.middleware';
import type { MessagingMetrics } from '../observability/metrics';
import { metricsMiddleware } from '../observability/metrics.middleware';
import { tracingMiddleware } from '../observability/tracing.middleware';
import type { ProcessedMessages } from '../ports/processed-messages.port';
import type { RawPublisher } from '../ports/raw-publisher.port';
import type { Middleware } from '../ports/subscriber.port';

export interface DefaultMiddlewareOptions {
  /** The subscription's group: dead letters go to deadLetterTopic(group). */
  readonly group: string;
  /** Declarations of the topics the subscription reads; messages are validated against them. */
  readonly topics: readonly TopicDeclaration[];
  readonly rawPublisher: RawPublisher;
  /** Enables the deduplication fast path; omit when the handler's store is the only check. */
  readonly processed?: ProcessedMessages;
  /** Budget of one attempt. Default 30 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Counts and times each attempt, and counts dead letters. */
  readonly metrics?: MessagingMetrics;
  /** A span per attempt (a no-op until an OpenTelemetry SDK is registered). Default true. */
  readonly tracing?: boolean;
  /** Middleware that must see each message once, with its final outcome; runs outermost. */
  readonly extra?: { readonly outer?: readonly Middleware[] };
}

const optionsSchema = z
  .object({
    group: z.string().min(1),
    topics: z.array(z.unknown()).min(1),
    rawPublisher: port<RawPublisher>('publishRaw'),
    processed: port<ProcessedMessages>('has', 'add').optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    retry: z.unknown().optional(),
    metrics: port<MessagingMetrics>('processed', 'processingFailed', 'retried', 'deadLettered').optional(),
    tracing: z.boolean().default(true),
    extra: z
      .object({ outer: z.array(fn<Middleware>()).optional() })
      .strict()
      .optional(),
  })
  .strict();

/**
 * The standard pipeline, outermost first. The order is what makes the guarantees hold:
 *
 *  1. extra.outer: sees each message once, with its final outcome, dead letters included.
 *  2. correlation: everything inside runs with this message as the current cause, so whatever
 *     the handler publishes joins its correlation.
 *  3. deadLetter outside retry: only a final failure is dead-lettered, never an attempt that
 *     a retry would have fixed; and what it rethrows (transient, aborted) leaves the offset alone.
 *  4. retry outside timeout: each attempt gets the whole budget, and a timeout is one 'unknown'
 *     failure among maxAttempts instead of ending the message.
 *  5. tracing and metrics right inside retry: a span and a measurement per attempt, each with
 *     its own failure code, a timeout counting as a failure. Outside deadLetter a dead-lettered
 *     message would count as processed, and a span around a transient outage would stay open
 *     as long as the outage lasts (see observability/).
 *  6. timeout: bounds everything below, the deduplication store's round trips included.
 *  7. schemaValidation inside retry: its failures are permanent, so retry passes them straight
 *     out (attempts = 1); inside, because the handler must never see unvalidated data.
 *  8. deduplication innermost: records an id only after the handler itself succeeded, and is
 *     not consulted for messages that fail validation.
 */
export function defaultMiddleware(options: DefaultMiddlewareOptions): Middleware[] {
  const o = parseOptions('defaultMiddleware', optionsSchema, options);
  return [
    ...(o.extra?.outer ?? []),
    correlation(),
    deadLetter({
      publisher: o.rawPublisher,
      group: o.group,
      onDeadLettered: o.metrics ? (d, code) => o.metrics?.deadLettered(d.group, d.topic, code) : undefined,
    }),
    retry(options.retry),
    ...(o.tracing ? [tracingMiddleware()] : []),
    ...(o.metrics ? [metricsMiddleware(o.metrics)] : []),
    timeout({ timeoutMs: o.timeoutMs }),
    schemaValidation({ topics: options.topics }),
    ...(o.processed ? [deduplication({ processed: o.processed })] : []),
  ];
}
