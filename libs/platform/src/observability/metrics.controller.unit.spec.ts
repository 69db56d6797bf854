import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessagingMetrics } from '@bulwark/messaging';
import { HealthModule } from '../health/health.module';
import { createHttpApp } from '../http/create-http-app';

/** Any app: HealthModule alone must bring /metrics along. */
@Module({ imports: [HealthModule] })
class AnyAppModule {}

const BULWARK_METRICS: Record<string, string> = {
  bulwark_messages_processed_total: 'counter',
  bulwark_message_failures_total: 'counter',
  bulwark_message_retries_total: 'counter',
  bulwark_dead_letters_total: 'counter',
  bulwark_messages_published_total: 'counter',
  bulwark_publish_failures_total: 'counter',
  bulwark_message_processing_seconds: 'histogram',
  bulwark_publish_seconds: 'histogram',
  bulwark_consumer_lag: 'gauge',
  bulwark_aggregate_write_conflicts_total: 'counter',
};

interface Exposition {
  readonly types: Map<string, string>;
  readonly helps: Set<string>;
  readonly samples: { name: string; labels: string; value: number }[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `${NAME.replace(':', '')}="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? (\\S+)( -?\\d+)?$`);

/** A strict reader of the Prometheus text format 0.0.4; throws on the first line it cannot read. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Exposition['samples'] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    const help = new RegExp(`^# HELP (${NAME}) `).exec(line);
    const sample = SAMPLE.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    else if (help) helps.add(help[1] as string);
    else if (sample) {
      const raw = sample[3] as string;
      const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
      // prom-client writes NaN as "Nan" (the event-loop lag before its first sample); Prometheus
      // reads values with Go's ParseFloat, which ignores case there, so any casing of NaN is fine.
      if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`not a number: ${line}`);
      samples.push({ name: sample[1] as string, labels: sample[2] ?? '', value });
    } else throw new Error(`not exposition format: ${line}`);
  }
  return { types, helps, samples };
}

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
function familyOf(sample: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(sample)) return sample;
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  const type = types.get(base);
  return type === 'histogram' || (type === 'summary' && !sample.endsWith('_bucket')) ? base : undefined;
}

describe('GET /metrics', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(AnyAppModule);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // Some traffic, so labelled series exist next to the bare declarations.
    const metrics = new MessagingMetrics();
    metrics.processed('billing', 'orders.commands', 0.012);
    metrics.processingFailed('billing', 'orders.commands', 'ORDER_UNKNOWN', 0.3);
    metrics.setLag('billing', 'orders.commands', 0, 7);
    metrics.published('orders.events', 2, 0.004);
  });
  afterAll(() => app.close());

  const scrape = () => app.inject({ method: 'GET', url: '/metrics' });

  it('answers 200 in the Prometheus text format 0.0.4, never cached', async () => {
    const res = await scrape();

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4(; charset=utf-8)?$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('parses as exposition: every sample belongs to a declared family with HELP and TYPE, every value is a number', async () => {
    const { types, helps, samples } = parseExposition((await scrape()).body);

    expect(samples.length).toBeGreaterThan(0);
    for (const name of types.keys()) expect(helps).toContain(name);
    expect(samples.filter((s) => familyOf(s.name, types) === undefined).map((s) => s.name)).toEqual([]);
  });

  it('declares exactly the messaging metrics, with their kinds, next to the process metrics', async () => {
    const { types } = parseExposition((await scrape()).body);

    const bulwark = Object.fromEntries([...types].filter(([name]) => name.startsWith('bulwark_')));
    expect(bulwark).toEqual(BULWARK_METRICS);
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
  });

  it('shows what was recorded, labelled by group, topic, partition and code only', async () => {
    const { samples } = parseExposition((await scrape()).body);
    const value = (name: string, labels: string) => samples.find((s) => s.name === name && s.labels === labels)?.value;

    expect(value('bulwark_consumer_lag', '{group="billing",topic="orders.commands",partition="0"}')).toBe(7);
    expect(value('bulwark_message_failures_total', '{group="billing",topic="orders.commands",code="ORDER_UNKNOWN"}')).toBe(1);
    expect(value('bulwark_messages_published_total', '{topic="orders.events"}')).toBe(2);
    expect(value('bulwark_message_processing_seconds_count', '{group="billing",topic="orders.commands"}')).toBe(2);
  });
});
