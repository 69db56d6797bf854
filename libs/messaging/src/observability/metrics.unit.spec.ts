import { Gauge, Registry, type Histogram } from 'prom-client';
import type { PublishObserver } from '../kafka/kafka-publisher';
import type { LagObserver } from '../kafka/kafka-subscriber';
import { MessagingMetrics, metricsRegistry, OVERFLOW_CODE } from './metrics';

/** The current value of one series, or undefined when the series does not exist. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const matches = (l: Record<string, unknown>) =>
    Object.keys(l).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => l[k] === v);
  return values.find((v) => matches(v.labels))?.value;
}

describe('MessagingMetrics', () => {
  let registry: Registry;
  let metrics: MessagingMetrics;
  beforeEach(() => {
    registry = new Registry();
    metrics = new MessagingMetrics(registry);
  });

  it('sets the lag of a partition and overwrites it with the latest value', async () => {
    metrics.setLag('billing', 'orders.commands', 2, 17);
    metrics.setLag('billing', 'orders.commands', 2, 5);

    await expect(
      valueOf(registry, 'bulwark_consumer_lag', { group: 'billing', topic: 'orders.commands', partition: '2' }),
    ).resolves.toBe(5);
  });

  it('drops the lag series of a partition this replica no longer owns', async () => {
    metrics.setLag('billing', 'orders.commands', 2, 17);
    metrics.setLag('billing', 'orders.commands', 3, 4);

    metrics.removeLag('billing', 'orders.commands', 2);

    const lag = (partition: string) =>
      valueOf(registry, 'bulwark_consumer_lag', { group: 'billing', topic: 'orders.commands', partition });
    await expect(lag('2')).resolves.toBeUndefined();
    await expect(lag('3')).resolves.toBe(4);
  });

  it('counts dead letters by code', async () => {
    metrics.deadLettered('billing', 'orders.commands', 'ORDER_UNKNOWN');
    metrics.deadLettered('billing', 'orders.commands', 'ORDER_UNKNOWN');

    await expect(
      valueOf(registry, 'bulwark_dead_letters_total', { group: 'billing', topic: 'orders.commands', code: 'ORDER_UNKNOWN' }),
    ).resolves.toBe(2);
  });

  it('counts lost aggregate writes by collection and reason', async () => {
    const accounts = metrics.writeConflicts('accounts');
    accounts('stale_write');
    accounts('stale_write');
    metrics.writeConflicts('orders')('version_changed');

    const conflicts = (collection: string, reason: string) =>
      valueOf(registry, 'bulwark_aggregate_write_conflicts_total', { collection, reason });
    await expect(conflicts('accounts', 'stale_write')).resolves.toBe(2);
    await expect(conflicts('orders', 'version_changed')).resolves.toBe(1);
    await expect(conflicts('accounts', 'version_changed')).resolves.toBeUndefined();
  });

  it('records publishes reported by the Kafka publisher: messages, failures by code, request time', async () => {
    const observer: PublishObserver = metrics.publishObserver;

    observer.published('orders.events', 3, 0.02);
    observer.failed('orders.events', 'BLW_PUBLISH_TIMEOUT');

    await expect(valueOf(registry, 'bulwark_messages_published_total', { topic: 'orders.events' })).resolves.toBe(3);
    await expect(
      valueOf(registry, 'bulwark_publish_failures_total', { topic: 'orders.events', code: 'BLW_PUBLISH_TIMEOUT' }),
    ).resolves.toBe(1);
    const { values } = await (registry.getSingleMetric('bulwark_publish_seconds') as Histogram).get();
    const sum = values.find((v) => v.metricName === 'bulwark_publish_seconds_sum' && v.labels.topic === 'orders.events');
    expect(sum?.value).toBe(0.02);
  });

  it('serves as the subscriber’s lag observer', async () => {
    const observer: LagObserver = metrics;

    observer.setLag('billing', 'orders.commands', 0, 9);

    await expect(
      valueOf(registry, 'bulwark_consumer_lag', { group: 'billing', topic: 'orders.commands', partition: '0' }),
    ).resolves.toBe(9);
  });

  it('lets several instances share one registry, counting into the same series', async () => {
    const other = new MessagingMetrics(registry);

    metrics.deadLettered('billing', 'orders.commands', 'ORDER_UNKNOWN');
    other.deadLettered('billing', 'orders.commands', 'ORDER_UNKNOWN');

    await expect(
      valueOf(registry, 'bulwark_dead_letters_total', { group: 'billing', topic: 'orders.commands', code: 'ORDER_UNKNOWN' }),
    ).resolves.toBe(2);
  });

  it('counts codes beyond the first 50 distinct ones as OTHER, so a code with an id in it cannot explode the series', async () => {
    for (let i = 0; i < 60; i++) metrics.publishFailed('orders.events', `ERR_ORDER_${i}`);

    const { values } = await registry.getSingleMetric('bulwark_publish_failures_total')!.get();
    expect(values).toHaveLength(51);
    await expect(
      valueOf(registry, 'bulwark_publish_failures_total', { topic: 'orders.events', code: OVERFLOW_CODE }),
    ).resolves.toBe(10);
    // A code seen before the cap keeps its own series.
    metrics.publishFailed('orders.events', 'ERR_ORDER_0');
    await expect(
      valueOf(registry, 'bulwark_publish_failures_total', { topic: 'orders.events', code: 'ERR_ORDER_0' }),
    ).resolves.toBe(2);
  });

  it('refuses a registry where one of its names is taken by another kind of metric', () => {
    const taken = new Registry();
    new Gauge({ name: 'bulwark_messages_processed_total', help: 'not a counter', registers: [taken] });

    expect(() => new MessagingMetrics(taken)).toThrow(
      'metric bulwark_messages_processed_total is already registered as another kind',
    );
  });

  it('registers on the module registry by default, next to the process metrics', async () => {
    new MessagingMetrics();

    const names = (await metricsRegistry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['bulwark_consumer_lag', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes']),
    );
  });
});
