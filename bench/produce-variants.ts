import { ClientKafka } from '@nestjs/microservices';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { Envelope } from '@bulwark/contracts';
import { KafkaPublisher, createKafka } from '@bulwark/messaging';
import type { VariantName } from './bench-workload';

/** One way of publishing a single envelope and awaiting the broker's acknowledgement. */
export interface ProduceVariant {
  publish(topic: string, envelope: Envelope): Promise<unknown>;
  close(): Promise<void>;
}

export type ProduceVariantFactory = (brokers: readonly string[]) => Promise<ProduceVariant>;

/** How each variant is configured; printed under the table so a reader need not open this file. */
export const PRODUCE_SETUP: Record<VariantName, string> = {
  ours: 'KafkaPublisher(createKafka(...)) with its defaults; publish(topic, [envelope]) per call',
  raw: 'kafkajs producer { idempotent: true }, send({ acks: -1, messages: [one] }) per call',
  stock:
    'ClientKafka { producer: { idempotent: true }, producerOnlyMode: true }; lastValueFrom(emit(topic, { key, value })); ' +
    'acks: kafkajs default -1 (Nest sets none), forced by idempotence anyway',
};

export const PRODUCE_VARIANTS: Record<VariantName, ProduceVariantFactory> = {
  // Connects lazily on the first publish, which happens during the warm-up.
  ours: async (brokers) => {
    const publisher = new KafkaPublisher(createKafka({ brokers, clientId: 'bench-ours' }));
    return {
      publish: (topic, envelope) => publisher.publish(topic, [envelope]),
      close: () => publisher.close(),
    };
  },

  raw: async (brokers) => {
    const kafka = new Kafka({ clientId: 'bench-raw', brokers: [...brokers], logLevel: logLevel.ERROR });
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return {
      publish: (topic, envelope) =>
        producer.send({ topic, acks: -1, messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] }),
      close: () => producer.disconnect(),
    };
  },

  stock: async (brokers) => {
    const client = new ClientKafka({
      client: { clientId: 'bench-stock', brokers: [...brokers] },
      producer: { idempotent: true },
      // Without it the client also joins a consumer group for request/reply it never uses here.
      producerOnlyMode: true,
    });
    await client.connect();
    return {
      // HAZARD: an object with a `key` property (every envelope has one) is taken for a Kafka
      // message { key, value } by Nest's serializer, and is sent with a null value. Wrapping it
      // is the documented way to set the key, and sends the envelope as JSON.
      publish: (topic, envelope) => lastValueFrom(client.emit(topic, { key: envelope.key, value: envelope })),
      close: () => client.close(),
    };
  },
};
