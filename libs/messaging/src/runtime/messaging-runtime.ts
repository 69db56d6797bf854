import type { TopicDeclaration } from '@bulwark/contracts';
import { createKafka } from '../kafka/kafka-client';
import { KafkaPublisher } from '../kafka/kafka-publisher';
import { KafkaSubscriber } from '../kafka/kafka-subscriber';
import { MessagingMetrics } from '../observability/metrics';
import { tracedPublish } from '../observability/traced-publisher';
import { defaultMiddleware, type DefaultMiddlewareOptions } from '../pipeline/default-pipeline';
import type { Publisher } from '../ports/publisher.port';
import type { RawPublisher } from '../ports/raw-publisher.port';
import type { Middleware, Subscriber } from '../ports/subscriber.port';

export interface MessagingRuntimeOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly sessionTimeoutMs?: number;
  readonly publishTimeoutMs?: number;
  readonly partitionsConsumedConcurrently?: number;
}

export interface MessagingRuntime {
  /** Traced (W3C traceparent in the headers) and measured; what handlers and controllers publish with. */
  readonly publisher: Publisher;
  /** Untraced, for forwarding original bytes (dead letters, redrive). */
  readonly rawPublisher: RawPublisher;
  readonly subscriber: Subscriber;
  readonly metrics: MessagingMetrics;
  /** The standard middleware for a group reading `topics`, with tracing and metrics in place. */
  pipeline(group: string, topics: readonly TopicDeclaration[], options?: Partial<DefaultMiddlewareOptions>): Middleware[];
  close(): Promise<void>;
}

/**
 * Everything an app needs to talk to Kafka, wired once: the idempotent micro-batching
 * publisher, the consumer runner, metrics on both and tracing on both. Apps never see kafkajs.
 */
export function createMessagingRuntime(options: MessagingRuntimeOptions): MessagingRuntime {
  const metrics = new MessagingMetrics();
  const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId });
  const kafkaPublisher = new KafkaPublisher(kafka, {
    timeoutMs: options.publishTimeoutMs ?? 5000,
    observer: metrics.publishObserver,
  });
  const subscriber = new KafkaSubscriber(kafka, {
    sessionTimeoutMs: options.sessionTimeoutMs,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    lag: metrics,
  });
  return {
    publisher: tracedPublish(kafkaPublisher),
    rawPublisher: kafkaPublisher,
    subscriber,
    metrics,
    pipeline: (group, topics, extra = {}) =>
      defaultMiddleware({ ...extra, group, topics, rawPublisher: kafkaPublisher, metrics }),
    close: async () => {
      await subscriber.close();
      await kafkaPublisher.close();
    },
  };
}
