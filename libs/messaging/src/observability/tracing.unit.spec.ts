import type { Envelope } from '@bulwark/contracts';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodeEnvelope } from '../codec/envelope-codec';
import { PermanentError } from '../errors/handler-errors';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import { compose } from '../pipeline/compose';
import { createDelivery } from '../pipeline/delivery';
import type { Publisher, PublishOptions } from '../ports/publisher.port';
import type { Delivery, MessageHandler } from '../ports/subscriber.port';
import { installTestTracing } from './test-tracing';
import { tracedPublish } from './traced-publisher';
import { injectTraceHeaders } from './tracing';
import { tracingMiddleware } from './tracing.middleware';

const tracing = installTestTracing();
beforeEach(() => tracing.reset());

interface Sent {
  readonly topic: string;
  readonly messages: readonly Envelope[];
  readonly headers: Readonly<Record<string, string>>;
}

/** Stands in for Kafka: keeps what was published, headers included. */
class CapturingPublisher implements Publisher {
  readonly sent: Sent[] = [];
  failWith: Error | null = null;

  async publish(topic: string, messages: readonly Envelope[], options: PublishOptions = {}): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ topic, messages, headers: options.headers ?? {} });
  }
}

const envelope = (id: string): Envelope => ({
  type: 'OrderPlaced',
  version: 1,
  id,
  occurredAt: '2025-01-02T03:04:05.678Z',
  correlationId: id,
  causationId: null,
  key: 'order-7',
  data: { orderId: 'order-7' },
});

/** The record a consumer of `sent` would get, as the Kafka runner builds it. */
function deliveryOf(sent: Sent, value: Buffer | null = encodeEnvelope(sent.messages[0] as Envelope)): Delivery {
  return createDelivery({
    group: 'billing',
    topic: sent.topic,
    partition: 3,
    offset: '42',
    key: 'order-7',
    value,
    headers: sent.headers,
  });
}

const finished = (): ReadableSpan[] => tracing.exporter.getFinishedSpans();
function span(name: string): ReadableSpan {
  const found = finished().filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, got ${found.length}`);
  return found[0] as ReadableSpan;
}
const ids = (s: ReadableSpan) => s.spanContext();

/** Publishes one command and returns what reached the fake Kafka. */
async function publishCommand(publisher: Publisher, kafka: CapturingPublisher): Promise<Sent> {
  await publisher.publish('orders.commands', [envelope('cmd-1')]);
  return kafka.sent.at(-1) as Sent;
}

describe('trace context through Kafka headers', () => {
  it('chains publish -> process -> publish into one trace, each span the parent of the next', async () => {
    const kafka = new CapturingPublisher();
    const publisher = tracedPublish(kafka);
    const command = await publishCommand(publisher, kafka);
    const handler: MessageHandler = (message) =>
      publisher.publish('orders.events', [{ ...envelope('evt-1'), causationId: message.id }]);

    await compose([tracingMiddleware()], handler)(deliveryOf(command));

    const publishCmd = span('publish orders.commands');
    const process = span('process orders.commands');
    const publishEvt = span('publish orders.events');
    expect(finished()).toHaveLength(3);
    expect(new Set(finished().map((s) => ids(s).traceId)).size).toBe(1);
    expect(publishCmd.parentSpanContext).toBeUndefined();
    expect(process.parentSpanContext?.spanId).toBe(ids(publishCmd).spanId);
    expect(publishEvt.parentSpanContext?.spanId).toBe(ids(process).spanId);
    expect([publishCmd.kind, process.kind, publishEvt.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.PRODUCER]);
  });

  it('puts the producer span itself into the traceparent header, in W3C format', async () => {
    const kafka = new CapturingPublisher();
    const command = await publishCommand(tracedPublish(kafka), kafka);

    const { traceId, spanId } = ids(span('publish orders.commands'));
    expect(command.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('keeps the caller’s own headers and options next to the trace headers', async () => {
    const kafka = new CapturingPublisher();
    const seen: PublishOptions[] = [];
    const spy: Publisher = {
      publish: (topic, messages, options = {}) => (seen.push(options), kafka.publish(topic, messages, options)),
    };

    await tracedPublish(spy).publish('orders.commands', [envelope('cmd-1')], { timeoutMs: 250, headers: { tenant: 't-1' } });

    expect(seen[0]?.timeoutMs).toBe(250);
    expect(seen[0]?.headers).toEqual({ tenant: 't-1', traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
  });

  it('labels the process span with the messaging attributes of the delivery', async () => {
    const kafka = new CapturingPublisher();
    const command = await publishCommand(tracedPublish(kafka), kafka);

    await compose([tracingMiddleware()], async () => undefined)(deliveryOf(command));

    expect(span('process orders.commands').attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'orders.commands',
      'messaging.kafka.consumer.group': 'billing',
      'messaging.kafka.destination.partition': 3,
      'messaging.kafka.message.offset': 42,
      'messaging.kafka.message.key': 'order-7',
      'messaging.message.id': 'cmd-1',
      'bulwark.delivery.attempt': 1,
    });
    expect(span('process orders.commands').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks the process span failed with the error code and rethrows the same error', async () => {
    const kafka = new CapturingPublisher();
    const command = await publishCommand(tracedPublish(kafka), kafka);
    const rejected = new PermanentError('ORDER_UNKNOWN', 'no such order');

    const run = compose([tracingMiddleware()], () => Promise.reject(rejected))(deliveryOf(command));

    await expect(run).rejects.toBe(rejected);
    const process = span('process orders.commands');
    expect(process.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such order' });
    expect(process.attributes['error.type']).toBe('ORDER_UNKNOWN');
    expect(process.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('still traces a message that is not a valid envelope, as a child of its producer', async () => {
    const kafka = new CapturingPublisher();
    const command = await publishCommand(tracedPublish(kafka), kafka);
    const handler = jest.fn<Promise<void>, []>();

    const run = compose([tracingMiddleware()], handler)(deliveryOf(command, Buffer.from('{not json')));

    await expect(run).rejects.toMatchObject({ code: MessagingErrorCodes.invalidMessage });
    expect(handler).not.toHaveBeenCalled();
    const process = span('process orders.commands');
    expect(process.parentSpanContext?.spanId).toBe(ids(span('publish orders.commands')).spanId);
    expect(process.attributes).not.toHaveProperty('messaging.message.id');
    expect(process.attributes['error.type']).toBe(MessagingErrorCodes.invalidMessage);
  });

  it('starts a new trace for a message published without trace headers', async () => {
    const sent: Sent = { topic: 'orders.commands', messages: [envelope('cmd-1')], headers: {} };
    const outer = trace.getTracer('test').startSpan('unrelated outer work');

    // The consumer loop may run inside some unrelated context; the message must not join it.
    await context.with(trace.setSpan(ROOT_CONTEXT, outer), () =>
      compose([tracingMiddleware()], async () => undefined)(deliveryOf(sent)),
    );
    outer.end();

    const process = span('process orders.commands');
    expect(process.parentSpanContext).toBeUndefined();
    expect(ids(process).traceId).not.toBe(outer.spanContext().traceId);
  });

  it('records a failed publish on the producer span and rethrows it', async () => {
    const kafka = new CapturingPublisher();
    kafka.failWith = new MessagingError(MessagingErrorCodes.publishTimeout, 'no ack in time', true);

    await expect(tracedPublish(kafka).publish('orders.commands', [envelope('cmd-1')])).rejects.toBe(kafka.failWith);

    const publish = span('publish orders.commands');
    expect(publish.status.code).toBe(SpanStatusCode.ERROR);
    expect(publish.attributes['error.type']).toBe(MessagingErrorCodes.publishTimeout);
  });

  it('continues the trace of stored headers when republishing outside any span (outbox relay)', async () => {
    const kafka = new CapturingPublisher();
    const stored = await publishCommand(tracedPublish(kafka), kafka);
    tracing.reset();

    await tracedPublish(kafka).publish('orders.commands', [envelope('cmd-1')], { headers: stored.headers });

    const republish = span('publish orders.commands');
    const storedParent = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, stored.headers));
    expect(ids(republish).traceId).toBe(storedParent?.traceId);
    expect(republish.parentSpanContext?.spanId).toBe(storedParent?.spanId);
  });
});

describe('injectTraceHeaders', () => {
  const stale = {
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    tracestate: 'vendor=stale',
    tenant: 't-1',
  };

  it('leaves the headers as they are when no span is active', () => {
    expect(injectTraceHeaders(stale)).toEqual(stale);
  });

  it('replaces both trace headers with the active span’s, dropping a stale tracestate', () => {
    const active = trace.getTracer('test').startSpan('work');

    const headers = context.with(trace.setSpan(ROOT_CONTEXT, active), () => injectTraceHeaders(stale));
    active.end();

    const { traceId, spanId } = active.spanContext();
    expect(headers).toEqual({ tenant: 't-1', traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('does not modify the headers it was given', () => {
    const given = { tenant: 't-1' };
    const active = trace.getTracer('test').startSpan('work');

    context.with(trace.setSpan(ROOT_CONTEXT, active), () => injectTraceHeaders(given));
    active.end();

    expect(given).toEqual({ tenant: 't-1' });
  });
});
