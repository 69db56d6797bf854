import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { failureCode } from '../errors/handler-errors';

/**
 * W3C trace context over Kafka headers. Only @opentelemetry/api is used here: without an SDK
 * (apps call startTracing from libs/platform) every call below is a cheap no-op.
 */
export const TRACER_NAME = '@bulwark/messaging';

/** Header names set by the W3C propagator; both are replaced together or not at all. */
const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/**
 * Messaging semantic-convention attribute names, as the spans of this library use them. Kept as
 * literals: @opentelemetry/semantic-conventions is not a dependency of this library.
 */
export const MessagingAttributes = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  consumerGroup: 'messaging.kafka.consumer.group',
  messageKey: 'messaging.kafka.message.key',
  partition: 'messaging.kafka.destination.partition',
  offset: 'messaging.kafka.message.offset',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  errorType: 'error.type',
} as const;

/**
 * Looked up on every use rather than once at import: a tracer cached before the SDK was
 * registered (or re-registered, in tests) would keep pointing at the old provider.
 */
export function messagingTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * A copy of `headers` carrying the trace context of `ctx` (the active one by default).
 * Without a valid span in `ctx` the headers are returned as they are, so a relay that
 * republishes stored headers (outbox, redrive) keeps the trace they were written in.
 * With one, stale traceparent/tracestate are dropped first: the propagator writes tracestate
 * only when there is one, and a leftover would describe another trace.
 */
export function injectTraceHeaders(
  headers: Readonly<Record<string, string>> = {},
  ctx: Context = context.active(),
): Record<string, string> {
  const out: Record<string, string> = { ...headers };
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return out;
  for (const name of TRACE_HEADERS) delete out[name];
  propagation.inject(ctx, out);
  return out;
}

/**
 * The context a message was published in. Based on ROOT_CONTEXT, not the active context: the
 * consumer loop runs in whatever context was active when it started, and a message's trace must
 * depend on its headers alone. No or invalid headers: the root context (a new trace).
 */
export function extractTraceContext(headers: Readonly<Record<string, string>>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Marks a span failed with the error's stable code, so traces can be searched by it. */
export function recordFailure(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setAttribute(MessagingAttributes.errorType, failureCode(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}
