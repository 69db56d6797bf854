import { context, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import type { Delivery, Middleware } from '../ports/subscriber.port';
import { extractTraceContext, MessagingAttributes as A, messagingTracer, recordFailure } from './tracing';

/**
 * One CONSUMER span per handler attempt, `process <topic>`, a child of the span the message was
 * published in (its traceparent header). Everything downstream (store calls, publishes through
 * tracedPublish) runs inside it and so joins the same trace.
 *
 * Place it right inside the retry middleware, next to metricsMiddleware: a span per attempt
 * ends when the attempt does, whereas a span around all retries of a transient failure (retried
 * for as long as the outage lasts) would stay open, and unexported, all that time.
 */
export function tracingMiddleware(): Middleware {
  return (next) => async (delivery) => {
    const parent = extractTraceContext(delivery.headers);
    const span = messagingTracer().startSpan(
      `process ${delivery.topic}`,
      { kind: SpanKind.CONSUMER, attributes: attributesOf(delivery) },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () => next(delivery));
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
}

function attributesOf(delivery: Delivery): Attributes {
  const offset = Number(delivery.offset);
  const attributes: Attributes = {
    [A.system]: 'kafka',
    [A.operationType]: 'process',
    [A.destination]: delivery.topic,
    [A.consumerGroup]: delivery.group,
    [A.partition]: delivery.partition,
    // Offsets are int64 on the wire; past 2^53 a number would silently round.
    [A.offset]: Number.isSafeInteger(offset) ? offset : delivery.offset,
    'bulwark.delivery.attempt': delivery.attempt,
  };
  if (delivery.key !== null) attributes[A.messageKey] = delivery.key;
  try {
    attributes[A.messageId] = delivery.envelope.id;
  } catch {
    // Not a valid envelope: the span is still worth having. The handler step throws the same
    // error again and it is recorded on the span then.
  }
  return attributes;
}
