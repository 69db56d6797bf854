import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { REPLICATION } from '@bulwark/contracts';
import { ensureTopics } from '@bulwark/messaging';
import { readBenchConfig, type BenchConfig } from './bench-config';
import {
  VARIANTS,
  benchTopics,
  brokerCount,
  buildWorkload,
  countRecords,
  deleteLeftovers,
  fillTopic,
  harnessKafka,
  newRunId,
  type VariantName,
  type Workload,
} from './bench-workload';
import { CONSUME_SETUP, CONSUME_VARIANTS, type ConsumeVariant } from './consume-variants';
import { percentile, runInFlight } from './in-flight';
import { PRODUCE_SETUP, PRODUCE_VARIANTS, type ProduceVariant } from './produce-variants';
import { ms, resultTable, type Row } from './report';

// Every variant uses kafkajs's default (murmur2) partitioner; its "switched default" notice is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
// Nest's Logger is global: without this, stock variants print kafkajs INFO lines into the table.
Logger.overrideLogger(['error', 'warn']);

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = readBenchConfig();
  const startedAt = performance.now();
  const kafka = harnessKafka(config.brokers);
  const runId = newRunId();
  const topics = benchTopics(runId);
  const allTopics = VARIANTS.flatMap((v) => [topics.produce[v], topics.consume[v]]);
  const groups: string[] = [];

  const brokers = await brokerCount(kafka);
  const header = [
    `machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    `kafka: ${brokers} brokers at ${config.brokers.join(',')}; topics: ${topics.produce.ours.partitions} partitions, ` +
      `RF ${REPLICATION.replicationFactor}, min.insync.replicas ${REPLICATION.minInsyncReplicas}`,
    `code: ${revision()}`,
  ];
  header.forEach(log);

  const workload = buildWorkload(config);
  const size =
    workload.averageBytes > config.messageBytes
      ? `~${workload.averageBytes} B (unpadded: the envelope's own fields exceed the ${config.messageBytes} B target)`
      : `~${workload.averageBytes} B`;
  const shape =
    `${config.messages} measured messages per variant after ${config.warmup} warm-up, ${size} JSON envelopes ` +
    `over ${config.keys} keys, ${config.concurrency} publishes in flight, acks=all`;
  log(`workload: ${shape} (run ${runId})`);
  await ensureTopics(kafka, allTopics);

  const rows: Row[] = [];
  try {
    for (const variant of VARIANTS) {
      rows.push(await produce(variant, topics.produce[variant].name, config, workload, kafka));
    }
    const everything = [...workload.warmup, ...workload.measured];
    for (const variant of VARIANTS) await fillTopic(kafka, topics.consume[variant].name, everything);
    for (const variant of VARIANTS) {
      const group = `bench.${runId}.${variant}`;
      rows.push(await consume(variant, topics.consume[variant].name, group, config, kafka, (g) => groups.push(g)));
    }
  } finally {
    if (!config.keep) {
      await deleteLeftovers(
        kafka,
        allTopics.map((t) => t.name),
        groups,
      );
    }
  }

  const table = resultTable(rows);
  const setup = [
    ...VARIANTS.map((v) => `- produce ${v}: ${PRODUCE_SETUP[v]}`),
    ...VARIANTS.map((v) => `- consume ${v}: ${CONSUME_SETUP[v]}`),
  ];
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(0);
  log('');
  log(table);
  log('');
  setup.forEach(log);
  log(`total ${seconds} s`);

  mkdirSync(dirname(config.resultsPath), { recursive: true });
  writeFileSync(
    config.resultsPath,
    [
      `# Messaging benchmark, ${new Date().toISOString()}`,
      '',
      'Produced by `npm run bench` (see bench/README.md). One run; numbers on a shared 2-core machine move by 10-20 % between runs.',
      '',
      ...header.map((h) => `- ${h}`),
      `- workload: ${shape}`,
      '',
      table,
      '',
      ...setup,
      '',
    ].join('\n'),
  );
  log(`written to ${config.resultsPath}`);
}

async function produce(variant: VariantName, topic: string, config: BenchConfig, workload: Workload, kafka: Kafka): Promise<Row> {
  log(`produce ${variant} ...`);
  const base = { phase: 'produce', variant, messages: config.messages } as const;
  let publisher: ProduceVariant | undefined;
  try {
    publisher = await PRODUCE_VARIANTS[variant](config.brokers);
    const send = publisher.publish.bind(publisher, topic);
    await withTimeout(runInFlight(workload.warmup, config.concurrency, send), config.variantTimeoutMs, 'warm-up');
    const run = await withTimeout(runInFlight(workload.measured, config.concurrency, send), config.variantTimeoutMs, 'run');
    const records = await countRecords(kafka, topic);
    const expected = config.warmup + config.messages;
    const check = records === expected ? `${records} records on the topic` : `MISMATCH: ${records} records, expected ${expected}`;
    return {
      ...base,
      seconds: run.seconds,
      notes: `p50 ${ms(percentile(run.latenciesMs, 50))} ms, p99 ${ms(percentile(run.latenciesMs, 99))} ms; ${check}`,
    };
  } catch (err) {
    return { ...base, notes: `failed: ${describe(err)}` };
  } finally {
    await publisher?.close().catch(() => undefined);
  }
}

/**
 * Counts handled messages; the clock runs from the warm-up-th to the last one, so connecting
 * and joining the group are reported apart (short on the local stack, which sets
 * group.initial.rebalance.delay.ms=0; up to 3 s more on a broker with Kafka's default).
 */
async function consume(
  variant: VariantName,
  topic: string,
  group: string,
  config: BenchConfig,
  kafka: Kafka,
  joined: (brokerGroup: string) => void,
): Promise<Row> {
  log(`consume ${variant} ...`);
  const base = { phase: 'consume', variant, messages: config.messages } as const;
  const expected = config.warmup + config.messages;
  const records = await countRecords(kafka, topic);
  if (records !== expected) return { ...base, notes: `failed: pre-fill left ${records} records, expected ${expected}` };

  const started = performance.now();
  let handled = 0;
  let first = 0;
  let from = config.warmup === 0 ? started : 0;
  let to = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onHandled = () => {
    handled++;
    const now = performance.now();
    if (handled === 1) first = now;
    if (handled === config.warmup) from = now;
    if (handled === expected) {
      to = now;
      finish();
    }
  };
  let consumer: ConsumeVariant | undefined;
  try {
    consumer = await CONSUME_VARIANTS[variant](config.brokers, topic, group, onHandled);
    joined(consumer.brokerGroup);
    await withTimeout(finished, config.variantTimeoutMs, `handling (${handled} of ${expected} handled)`);
    return {
      ...base,
      seconds: (to - from) / 1000,
      notes:
        `first message ${((first - started) / 1000).toFixed(2)} s after start, all ${handled} ` +
        `${((to - started) / 1000).toFixed(2)} s after start`,
    };
  } catch (err) {
    return { ...base, notes: `failed: ${describe(err)}` };
  } finally {
    await consumer?.stop().catch(() => undefined);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describe(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0] ?? '';
}

/** Which code was measured: the commit, and whether the library under test had local edits. */
function revision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'libs/messaging') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in libs/messaging' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
