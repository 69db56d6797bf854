import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { declareTopic, message, type Envelope } from '@bulwark/contracts';
import { stack, waitFor } from '../../../../test/support/stack';
import { newEnvelope } from '../envelope/new-envelope';
import { createKafka } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';
import { KafkaSubscriber } from './kafka-subscriber';
import { ensureTopics } from './topic-admin';

const run = promisify(execFile);
const kafka = createKafka({ brokers: stack.brokers, clientId: 'pubsub-int' });
const Counted = message('Counted', 1, z.object({ seq: z.number().int() }).strict());

describe('KafkaPublisher and KafkaSubscriber on the real cluster', () => {
  const topic = declareTopic({ name: `it.pubsub.${randomUUID().slice(0, 8)}`, partitions: 6, messages: { Counted } });
  const publisher = new KafkaPublisher(kafka);
  const subscribers: KafkaSubscriber[] = [];

  beforeAll(async () => {
    await ensureTopics(kafka, [topic]);
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await publisher.close();
  });

  it('delivers every message to a new group, each key in publish order, and reports the group joined', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const sent: Envelope[] = [];
    for (let seq = 0; seq < 40; seq++) {
      const key = keys[seq % keys.length] ?? 'a';
      sent.push(newEnvelope(Counted, key, { seq }));
    }
    // Published before the group exists: a new group must start from the earliest offset.
    for (const batch of [sent.slice(0, 20), sent.slice(20)]) await publisher.publish(topic.name, batch);

    const seen: { key: string; seq: number; partition: number }[] = [];
    const subscriber = new KafkaSubscriber(kafka);
    subscribers.push(subscriber);
    await subscriber.subscribe({
      group: `it.group.${randomUUID().slice(0, 8)}`,
      topics: [topic.name],
      handler: async (m, ctx) => {
        seen.push({ key: m.key, seq: (m.data as { seq: number }).seq, partition: ctx.partition });
      },
    });
    await waitFor('all 40 messages', async () => seen.length >= 40, 60_000);
    expect(seen).toHaveLength(40);
    for (const key of keys) {
      const seqs = seen.filter((s) => s.key === key).map((s) => s.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seen.filter((s) => s.key === key).map((s) => s.partition)).size).toBe(1);
    }
    expect(subscriber.health()[0]).toMatchObject({ joined: true, everJoined: true, crashed: false });
  });

  it('writes plain JSON envelopes with the key, readable by kcat', async () => {
    const envelope = newEnvelope(Counted, 'kcat-key', { seq: 7 });
    await publisher.publish(topic.name, [envelope]);
    const { stdout } = await run(
      'kcat',
      ['-b', stack.brokers.join(','), '-C', '-t', topic.name, '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'],
      { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 },
    );
    const line = stdout.split('\n').find((l) => l.includes(envelope.id));
    expect(line).toBeDefined();
    const [key, value] = (line ?? '').split('\t');
    expect(key).toBe('kcat-key');
    expect(JSON.parse(value ?? '{}')).toEqual(envelope);
  });

  it('consumes an envelope produced by kcat with the Java-compatible partitioning of its key', async () => {
    const envelope = newEnvelope(Counted, 'from-kcat', { seq: 1 });
    const got: Envelope[] = [];
    const subscriber = new KafkaSubscriber(kafka);
    subscribers.push(subscriber);
    await subscriber.subscribe({
      group: `it.kcat.${randomUUID().slice(0, 8)}`,
      topics: [topic.name],
      handler: async (m) => {
        if (m.id === envelope.id) got.push(m);
      },
    });
    await new Promise<void>((resolve, reject) => {
      // -X partitioner=murmur2_random: the Java client's partitioner, which ours matches.
      const kcat = spawn('kcat', [
        '-b',
        stack.brokers.join(','),
        '-P',
        '-t',
        topic.name,
        '-K',
        '\t',
        '-X',
        'partitioner=murmur2_random',
      ]);
      kcat.on('error', reject);
      kcat.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}`))));
      kcat.stdin.end(`${envelope.key}\t${JSON.stringify(envelope)}\n`);
    });
    await waitFor('the kcat-produced envelope', async () => got.length === 1, 60_000);
    expect(got[0]).toEqual(envelope);
  });

  it('rejects with a retriable error instead of hanging when the publish deadline passes', async () => {
    const unreachable = new KafkaPublisher(createKafka({ brokers: ['127.0.0.1:1'], clientId: 'nowhere' }), 1500);
    await expect(unreachable.publish(topic.name, [newEnvelope(Counted, 'x', { seq: 0 })])).rejects.toMatchObject({
      retriable: true,
    });
    await unreachable.close().catch(() => undefined);
  });
});
