import { randomUUID } from 'node:crypto';
import { declareTopic } from '@bulwark/contracts';
import { stack } from '../../../../test/support/stack';
import { describePubSubContract } from '../../test/contract/pubsub.contract';
import { createKafka } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';
import { KafkaSubscriber } from './kafka-subscriber';
import { ensureTopics } from './topic-admin';

// One Kafka client, publisher and set of topics per case; groups and topics are unique, so
// cases never see each other's messages even on a shared, running stack.
describePubSubContract(
  'Kafka',
  async () => {
    const kafka = createKafka({ brokers: stack.brokers, clientId: `contract-${randomUUID().slice(0, 8)}` });
    const publisher = new KafkaPublisher(kafka);
    const subscribers: KafkaSubscriber[] = [];
    const topics: string[] = [];
    return {
      publisher,
      newSubscriber: () => {
        // The broker's minimum session; short heartbeats so a joining member is noticed quickly.
        const subscriber = new KafkaSubscriber(kafka, { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 });
        subscribers.push(subscriber);
        return subscriber;
      },
      createTopic: async (partitions, name = `it.contract.${randomUUID().slice(0, 8)}`) => {
        await ensureTopics(kafka, [declareTopic({ name, partitions, messages: {} })]);
        topics.push(name);
        return name;
      },
      cleanup: async () => {
        await Promise.allSettled(subscribers.map((s) => s.close()));
        await publisher.close();
        // The stack keeps running for other tests: leave no topics behind.
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
        await admin.disconnect();
      },
    };
  },
  { waitMs: 30_000, quietMs: 1000 },
);
