import { randomUUID } from 'node:crypto';
import { declareTopic } from '@bulwark/contracts';
import { kafkaTool, KafkaTools, parseTopicDescribe, stack } from '../../../../test/support/stack';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topic-admin';

const kafka = createKafka({ brokers: stack.brokers, clientId: 'topic-admin-int' });
const fresh = (partitions = 4) => declareTopic({ name: `it.topics.${randomUUID().slice(0, 8)}`, partitions, messages: {} });

describe('ensureTopics on the real 3-node cluster', () => {
  it('creates a declared topic that Kafka’s own tool describes with RF=3, ISR of 3 and min.insync.replicas=2', async () => {
    const topic = fresh(4);
    const [report] = await ensureTopics(kafka, [topic]);
    expect(report).toEqual({ name: topic.name, action: 'created', partitions: 4 });

    const out = await kafkaTool(KafkaTools.topics, ['--describe', '--topic', topic.name]);
    expect(out).toContain('min.insync.replicas=2');
    expect(out).toContain('unclean.leader.election.enable=false');
    const partitions = parseTopicDescribe(out);
    expect(partitions).toHaveLength(4);
    for (const p of partitions) {
      expect(p.replicas).toHaveLength(3);
      expect(p.isr.sort()).toEqual([1, 2, 3]);
    }
  });

  it('verifies instead of recreating on a second run', async () => {
    const topic = fresh(2);
    await ensureTopics(kafka, [topic]);
    const [again] = await ensureTopics(kafka, [topic]);
    expect(again?.action).toBe('verified');
  });

  it('refuses an existing topic with a weaker replication factor or min.insync.replicas', async () => {
    const weakRf = fresh(1);
    const weakIsr = fresh(1);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: weakRf.name, numPartitions: 1, replicationFactor: 1 },
          {
            topic: weakIsr.name,
            numPartitions: 1,
            replicationFactor: 3,
            configEntries: [{ name: 'min.insync.replicas', value: '1' }],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    const attempt = ensureTopics(kafka, [weakRf, weakIsr]);
    await expect(attempt).rejects.toMatchObject({ code: 'BLW_TOPIC_MISCONFIGURED', retriable: false });
    await expect(ensureTopics(kafka, [weakRf, weakIsr])).rejects.toThrow(
      new RegExp(
        `${weakRf.name.replace(/\./g, '\\.')}: replication factor 1.*[\\s\\S]*${weakIsr.name.replace(/\./g, '\\.')}: min.insync.replicas=1`,
      ),
    );
  });

  it('refuses a partition count other than declared', async () => {
    const topic = fresh(2);
    await ensureTopics(kafka, [topic]);
    await expect(ensureTopics(kafka, [{ ...topic, partitions: 3 }])).rejects.toThrow(/2 partitions, declared 3/);
  });
});
