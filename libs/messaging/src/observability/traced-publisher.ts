import { context, isSpanContextValid, propagation, SpanKind, trace, type Attributes, type Context } from '@opentelemetry/api';
import type { Envelope } from '@bulwark/contracts';
import type { Publisher, PublishOptions } from '../ports/publisher.port';
import { injectTraceHeaders, MessagingAttributes as A, messagingTracer, recordFailure } from './tracing';

/**
 * A Publisher that records a PRODUCER span `publish <topic>` around each publish and puts that
 * span's context into the headers passed down, so the consumer's `process` span becomes its
 * child. Every message of one publish carries the same traceparent.
 *
 * The parent is the active span; without one, the traceparent already in `options.headers`:
 * a relay republishing stored headers (outbox) outside any span then continues the trace the
 * message was written in instead of starting a new one.
 */
export function tracedPublish(publisher: Publisher): Publisher {
  return {
    async publish(topic: string, messages: readonly Envelope[], options: PublishOptions = {}): Promise<void> {
      // Nothing goes to Kafka, so there is nothing to trace.
      if (messages.length === 0) return publisher.publish(topic, messages, options);
      const parent = parentContext(options.headers);
      const span = messagingTracer().startSpan(
        `publish ${topic}`,
        { kind: SpanKind.PRODUCER, attributes: attributesOf(topic, messages) },
        parent,
      );
      const ctx = trace.setSpan(parent, span);
      try {
        await context.with(ctx, () =>
          publisher.publish(topic, messages, { ...options, headers: injectTraceHeaders(options.headers, ctx) }),
        );
      } catch (err) {
        recordFailure(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  };
}

function parentContext(headers: Readonly<Record<string, string>> | undefined): Context {
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  if ((spanContext && isSpanContextValid(spanContext)) || !headers) return active;
  return propagation.extract(active, headers);
}

function attributesOf(topic: string, messages: readonly Envelope[]): Attributes {
  const attributes: Attributes = {
    [A.system]: 'kafka',
    [A.operationType]: 'send',
    [A.destination]: topic,
  };
  const [only] = messages;
  if (messages.length === 1 && only) {
    attributes[A.messageId] = only.id;
    attributes[A.messageKey] = only.key;
  } else {
    attributes[A.batchCount] = messages.length;
  }
  return attributes;
}
