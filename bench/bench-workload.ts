import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { z } from 'zod';
import { declareTopic, message, type Envelope, type TopicDeclaration } from '@bulwark/contracts';
import { encodeEnvelope, newEnvelope } from '@bulwark/messaging';
import type { BenchConfig } from './bench-config';

/** The benchmark's only message type; `pad` brings the JSON envelope to the configured size. */
export const BenchPing = message('BenchPing', 1, z.object({ seq: z.number().int(), pad: z.string() }).strict());

export type Phase = 'produce' | 'consume';
export type VariantName = 'ours' | 'raw' | 'stock';
/** The order variants run in, in both phases: the library under test first, then its baselines. */
export const VARIANTS: readonly VariantName[] = ['ours', 'raw', 'stock'];

/** A fresh topic per phase and variant (12 partitions, RF 3, min.insync.replicas 2), unique per run. */
export function benchTopics(runId: string): Record<Phase, Record<VariantName, TopicDeclaration>> {
  const declare = (phase: Phase, variant: VariantName): TopicDeclaration =>
    declareTopic({ name: `bench.${runId}.${phase}.${variant}`, messages: { BenchPing } });
  const perVariant = (phase: Phase) => ({
    ours: declare(phase, 'ours'),
    raw: declare(phase, 'raw'),
    stock: declare(phase, 'stock'),
  });
  return { produce: perVariant('produce'), consume: perVariant('consume') };
}

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

export interface Workload {
  /** Sent before the clock starts. */
  readonly warmup: readonly Envelope[];
  readonly measured: readonly Envelope[];
  readonly averageBytes: number;
}

/**
 * Builds every envelope up front: newEnvelope validates with zod, which is a producer-side cost
 * of the application, not of the transport being measured. Keys cycle over `keys` values so
 * every partition gets an even share.
 */
export function buildWorkload(config: BenchConfig): Workload {
  const key = (i: number) => `key-${String(i % config.keys).padStart(4, '0')}`;
  const probe = encodeEnvelope(newEnvelope(BenchPing, key(0), { seq: 0, pad: '' })).length;
  const pad = 'x'.repeat(Math.max(0, config.messageBytes - probe));
  const all: Envelope[] = [];
  for (let seq = 0; seq < config.warmup + config.messages; seq++) {
    all.push(newEnvelope(BenchPing, key(seq), { seq, pad }));
  }
  const sample = all.slice(0, 100);
  const averageBytes = Math.round(sample.reduce((n, e) => n + encodeEnvelope(e).length, 0) / Math.max(sample.length, 1));
  return { warmup: all.slice(0, config.warmup), measured: all.slice(config.warmup), averageBytes };
}

/** A plain kafkajs client for the harness's own chores (creating, filling, counting, deleting). */
export function harnessKafka(brokers: readonly string[]): Kafka {
  return new Kafka({ clientId: 'bench-harness', brokers: [...brokers], logLevel: logLevel.ERROR });
}

/**
 * Pre-fills a consume-phase topic in large acks=all batches, the same way for every variant,
 * so the record batches on disk (and so the fetch sizes the consumers see) are identical.
 */
export async function fillTopic(kafka: Kafka, topic: string, envelopes: readonly Envelope[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const chunk = 1_000;
    for (let i = 0; i < envelopes.length; i += chunk) {
      await producer.send({
        topic,
        acks: -1,
        messages: envelopes.slice(i, i + chunk).map((e) => ({ key: e.key, value: encodeEnvelope(e) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Records on a fresh, non-transactional topic: the sum of its partitions' end offsets. */
export async function countRecords(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function brokerCount(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect();
  }
}

/** Best effort: a leftover bench topic costs disk on the shared local stack, nothing more. */
export async function deleteLeftovers(kafka: Kafka, topics: readonly string[], groups: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([...groups]).catch(() => undefined);
    await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
