import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WriteConflict } from '../outbox/apply-once';

/**
 * The process's one registry, served by GET /metrics (libs/platform). It lives at module level
 * because the publisher, the consumer pipeline and the HTTP endpoint are built in different
 * places and must all land in the same exposition.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/**
 * Seconds, from a 1 ms acks=all round trip on a quiet cluster to a 30 s publish deadline or a
 * handler waiting on a slow store; prom-client's default buckets stop at 10 s.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Past this many distinct failure codes per registry, new ones are counted as OTHER. A code
 * comes from whatever a handler threw (failureCode), so one bug that puts an id into a code
 * would otherwise create a series per message and take Prometheus down with it.
 */
const MAX_CODES = 50;
export const OVERFLOW_CODE = 'OTHER';
const codesSeen = new WeakMap<Registry, Set<string>>();

type GroupTopic = 'group' | 'topic';

/**
 * Messaging counters, latencies and consumer lag. Labels are bounded by design: group and topic
 * are declared once in libs/contracts, partition by the topic's partition count, code by the
 * error catalogue (and MAX_CODES). Never add message ids, keys or offsets as labels: each value
 * is a new time series, kept for the whole retention.
 *
 * Any number of instances may share a registry (publisher, subscriber, dead-letter middleware):
 * the metrics are registered once and reused, so they all count into the same series.
 */
export class MessagingMetrics {
  private readonly processedTotal: Counter<GroupTopic>;
  private readonly failuresTotal: Counter<GroupTopic | 'code'>;
  private readonly retriesTotal: Counter<GroupTopic>;
  private readonly deadLettersTotal: Counter<GroupTopic | 'code'>;
  private readonly processingSeconds: Histogram<GroupTopic>;
  private readonly publishedTotal: Counter<'topic'>;
  private readonly publishFailuresTotal: Counter<'topic' | 'code'>;
  private readonly publishSeconds: Histogram<'topic'>;
  private readonly consumerLag: Gauge<GroupTopic | 'partition'>;
  private readonly writeConflictsTotal: Counter<'collection' | 'reason'>;
  private readonly codes: Set<string>;

  constructor(private readonly registry: Registry = metricsRegistry) {
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      this.reuse(name, Counter) ?? new Counter<L>({ name, help, labelNames, registers: [registry] });
    const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      this.reuse(name, Histogram) ??
      new Histogram<L>({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [registry] });

    this.processedTotal = counter('bulwark_messages_processed_total', 'Deliveries whose handler succeeded.', ['group', 'topic']);
    this.failuresTotal = counter(
      'bulwark_message_failures_total',
      'Failed handler attempts, by failure code (a retried message counts once per attempt).',
      ['group', 'topic', 'code'],
    );
    this.retriesTotal = counter('bulwark_message_retries_total', 'Handler attempts after the first one.', ['group', 'topic']);
    this.deadLettersTotal = counter('bulwark_dead_letters_total', 'Messages moved to the dead-letter topic.', [
      'group',
      'topic',
      'code',
    ]);
    this.processingSeconds = histogram(
      'bulwark_message_processing_seconds',
      'Time of one handler attempt through the rest of the pipeline, successful or not.',
      ['group', 'topic'],
    );
    this.publishedTotal = counter('bulwark_messages_published_total', 'Messages acknowledged by Kafka.', ['topic']);
    this.publishFailuresTotal = counter('bulwark_publish_failures_total', 'Publishes that failed, by failure code.', [
      'topic',
      'code',
    ]);
    this.publishSeconds = histogram('bulwark_publish_seconds', 'Time of one produce request until acks=all.', ['topic']);
    this.writeConflictsTotal = counter(
      'bulwark_aggregate_write_conflicts_total',
      'Aggregate writes that lost to another writer of the same key and were computed again (see WriteConflict).',
      ['collection', 'reason'],
    );
    this.consumerLag =
      this.reuse('bulwark_consumer_lag', Gauge) ??
      new Gauge({
        name: 'bulwark_consumer_lag',
        help: 'Messages behind the high watermark, per partition this replica owns. Aggregate with max by partition, not sum: a partition moves between replicas.',
        labelNames: ['group', 'topic', 'partition'],
        registers: [registry],
      });

    let codes = codesSeen.get(registry);
    if (!codes) codesSeen.set(registry, (codes = new Set()));
    this.codes = codes;
  }

  processed(group: string, topic: string, seconds: number): void {
    this.processedTotal.inc({ group, topic });
    this.processingSeconds.observe({ group, topic }, seconds);
  }

  processingFailed(group: string, topic: string, code: string, seconds: number): void {
    this.failuresTotal.inc({ group, topic, code: this.bounded(code) });
    this.processingSeconds.observe({ group, topic }, seconds);
  }

  retried(group: string, topic: string): void {
    this.retriesTotal.inc({ group, topic });
  }

  /** Called by the dead-letter middleware once the message is safely on the dead-letter topic. */
  deadLettered(group: string, topic: string, code: string): void {
    this.deadLettersTotal.inc({ group, topic, code: this.bounded(code) });
  }

  published(topic: string, messages: number, seconds: number): void {
    this.publishedTotal.inc({ topic }, messages);
    this.publishSeconds.observe({ topic }, seconds);
  }

  publishFailed(topic: string, code: string): void {
    this.publishFailuresTotal.inc({ topic, code: this.bounded(code) });
  }

  /** Shaped like ApplyOptions.onConflict, for one collection: `{ onConflict: metrics.writeConflicts('accounts') }`. */
  writeConflicts(collection: string): (reason: WriteConflict) => void {
    return (reason) => this.writeConflictsTotal.inc({ collection, reason });
  }

  /** Shaped like KafkaPublisher's PublishObserver: `new KafkaPublisher(kafka, { observer: metrics.publishObserver })`. */
  get publishObserver(): {
    published(topic: string, messages: number, seconds: number): void;
    failed(topic: string, code: string): void;
  } {
    return {
      published: (topic, messages, seconds) => this.published(topic, messages, seconds),
      failed: (topic, code) => this.publishFailed(topic, code),
    };
  }

  /** Shaped like KafkaSubscriber's LagObserver. */
  setLag(group: string, topic: string, partition: number, lag: number): void {
    this.consumerLag.set({ group, topic, partition: String(partition) }, lag);
  }

  /**
   * For a partition this replica no longer owns (revoked in a rebalance). Without it the old
   * owner keeps reporting its last lag forever, next to the new owner's live value.
   */
  removeLag(group: string, topic: string, partition: number): void {
    this.consumerLag.remove({ group, topic, partition: String(partition) });
  }

  private bounded(code: string): string {
    if (this.codes.has(code)) return code;
    if (this.codes.size >= MAX_CODES) return OVERFLOW_CODE;
    this.codes.add(code);
    return code;
  }

  /**
   * The metric already registered under this name, if any. Registering a name twice throws in
   * prom-client; a same-named metric of another kind is a programming error worth failing on.
   */
  private reuse<M>(name: string, kind: abstract new (...args: never[]) => M): M | undefined {
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) return undefined;
    if (!(existing instanceof kind)) throw new Error(`metric ${name} is already registered as another kind`);
    return existing;
  }
}
