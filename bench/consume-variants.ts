import { Controller, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaSubscriber, createKafka } from '@bulwark/messaging';
import type { VariantName } from './bench-workload';

/** Called once per handled message, after the variant has parsed it. */
export type Handled = () => void;

export interface ConsumeVariant {
  /** The group id as the broker sees it (for clean-up). */
  readonly brokerGroup: string;
  stop(): Promise<void>;
}

export type ConsumeVariantFactory = (
  brokers: readonly string[],
  topic: string,
  group: string,
  handled: Handled,
) => Promise<ConsumeVariant>;

export const CONSUME_SETUP: Record<VariantName, string> = {
  ours: 'KafkaSubscriber(createKafka(...)) with its defaults; handler counts the decoded (schema-checked) envelope',
  raw: 'kafkajs eachBatch, JSON.parse per message, resolveOffset per message, autoCommit, partitionsConsumedConcurrently 1',
  stock:
    'NestFactory.createMicroservice(Transport.KAFKA, subscribe: { fromBeginning: true }) with an @EventPattern handler; ' +
    'Nest parses the JSON; eachMessage, partitionsConsumedConcurrently 1; group id gets "-server" appended',
};

export const CONSUME_VARIANTS: Record<VariantName, ConsumeVariantFactory> = {
  ours: async (brokers, topic, group, handled) => {
    const subscriber = new KafkaSubscriber(createKafka({ brokers, clientId: 'bench-ours' }));
    await subscriber.subscribe({ group, topics: [topic], handler: async () => handled() });
    return { brokerGroup: group, stop: () => subscriber.close() };
  },

  raw: async (brokers, topic, group, handled) => {
    const kafka = new Kafka({ clientId: 'bench-raw', brokers: [...brokers], logLevel: logLevel.ERROR });
    const consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const record of batch.messages) {
          if (!isRunning() || isStale()) break;
          if (record.value) JSON.parse(record.value.toString('utf8'));
          handled();
          resolveOffset(record.offset);
        }
        await heartbeat();
      },
    });
    return { brokerGroup: group, stop: () => consumer.disconnect() };
  },

  stock: async (brokers, topic, group, handled) => {
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(stockModule(topic, handled), {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'bench-stock', brokers: [...brokers] },
        consumer: { groupId: group },
        // Without it a new group starts at the end of the topic and sees none of the pre-filled messages.
        subscribe: { fromBeginning: true },
      },
      logger: ['error', 'warn'],
    });
    await app.listen();
    return { brokerGroup: `${group}-server`, stop: () => app.close() };
  },
};

/** The topic name is only known at run time, so the decorated controller is made per run. */
function stockModule(topic: string, handled: Handled): Type {
  @Controller()
  class BenchController {
    @EventPattern(topic)
    async onPing(@Payload() _payload: unknown): Promise<void> {
      handled();
    }
  }
  @Module({ controllers: [BenchController] })
  class BenchModule {}
  return BenchModule;
}
