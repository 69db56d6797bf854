import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { z } from 'zod';
import { declareTopic, deadLetterTopic, message } from '@bulwark/contracts';
import { stack, waitFor } from '../../../../test/support/stack';
import { newEnvelope } from '../envelope/new-envelope';
import { createKafka } from '../kafka/kafka-client';
import { KafkaPublisher } from '../kafka/kafka-publisher';
import { KafkaSubscriber } from '../kafka/kafka-subscriber';
import { ensureTopics } from '../kafka/topic-admin';
import { defaultMiddleware } from '../pipeline/default-pipeline';
import { installTestTracing } from './test-tracing';
import { tracedPublish } from './traced-publisher';

/**
 * One trace across real Kafka: publish a command -> the consumer's process span (context from the
 * traceparent header) -> the handler publishes an event -> a second consumer processes it.
 */
describe('tracing through the real cluster', () => {
  const tracing = installTestTracing();
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'tracing-int' });
  const raw = new KafkaPublisher(kafka);
  const publisher = tracedPublish(raw);
  const run = randomUUID().slice(0, 8);
  const Asked = message('Asked', 1, z.object({ n: z.number() }).strict());
  const Answered = message('Answered', 1, z.object({ n: z.number() }).strict());
  const commands = declareTopic({ name: `it.trace.${run}.commands`, partitions: 3, messages: { Asked } });
  const events = declareTopic({ name: `it.trace.${run}.events`, partitions: 3, messages: { Answered } });
  const groups = { handler: `it.trace.${run}.handler`, watcher: `it.trace.${run}.watcher` };
  const subscribers: KafkaSubscriber[] = [];

  beforeAll(async () => {
    await ensureTopics(kafka, [
      commands,
      events,
      ...Object.values(groups).map((g) => declareTopic({ name: deadLetterTopic(g), partitions: 1, messages: {} })),
    ]);
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await raw.close();
  });

  it('links publish -> process -> publish -> process into one trace with parent/child spans', async () => {
    tracing.reset();
    const seen: string[] = [];
    const handlerSub = new KafkaSubscriber(kafka, { sessionTimeoutMs: 6000 });
    const watcherSub = new KafkaSubscriber(kafka, { sessionTimeoutMs: 6000 });
    subscribers.push(handlerSub, watcherSub);
    await handlerSub.subscribe({
      group: groups.handler,
      topics: [commands.name],
      middleware: defaultMiddleware({ group: groups.handler, topics: [commands], rawPublisher: raw }),
      handler: async (m) => {
        await publisher.publish(events.name, [newEnvelope(Answered, m.key, { n: (m.data as { n: number }).n + 1 })]);
      },
    });
    await watcherSub.subscribe({
      group: groups.watcher,
      topics: [events.name],
      middleware: defaultMiddleware({ group: groups.watcher, topics: [events], rawPublisher: raw }),
      handler: async (m) => {
        seen.push(m.id);
      },
    });

    await publisher.publish(commands.name, [newEnvelope(Asked, 'k1', { n: 1 }, null)]);
    await waitFor('the event processed by the watcher', async () => seen.length === 1, 60_000);
    await waitFor('four spans', async () => tracing.exporter.getFinishedSpans().length >= 4, 10_000, 100);

    const spans = tracing.exporter.getFinishedSpans();
    const find = (name: string, kind: SpanKind) => {
      const span = spans.find((s) => s.name === name && s.kind === kind);
      if (!span) throw new Error(`no ${SpanKind[kind]} span "${name}" among: ${spans.map((s) => s.name).join(', ')}`);
      return span;
    };
    const publishCommand = find(`publish ${commands.name}`, SpanKind.PRODUCER);
    const processCommand = find(`process ${commands.name}`, SpanKind.CONSUMER);
    const publishEvent = find(`publish ${events.name}`, SpanKind.PRODUCER);
    const processEvent = find(`process ${events.name}`, SpanKind.CONSUMER);

    const traceId = publishCommand.spanContext().traceId;
    for (const s of [processCommand, publishEvent, processEvent]) expect(s.spanContext().traceId).toBe(traceId);
    const parentOf = (s: typeof publishCommand) => s.parentSpanContext?.spanId;
    expect(parentOf(processCommand)).toBe(publishCommand.spanContext().spanId);
    expect(parentOf(publishEvent)).toBe(processCommand.spanContext().spanId);
    expect(parentOf(processEvent)).toBe(publishEvent.spanContext().spanId);
  });
});
