import type { Consumer, Kafka } from 'kafkajs';
import { decodeEnvelope } from '../codec/envelope-codec';
import type { Subscriber, Subscription, SubscriptionHealth } from '../ports/subscriber.port';

interface Running {
  readonly subscription: Subscription;
  readonly consumer: Consumer;
  health: SubscriptionHealth;
}

export interface KafkaSubscriberOptions {
  /** Partitions of one subscription processed at once; order within a partition is kept. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
}

/**
 * One kafkajs consumer per subscription, so a slow topic cannot hold up another. The group id
 * is used exactly as declared (no suffixes). Offsets are committed by kafkajs only for messages
 * whose handler resolved, so a crash replays from the last stored effect (at-least-once).
 */
export class KafkaSubscriber implements Subscriber {
  private readonly running: Running[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaSubscriberOptions = {},
  ) {}

  async subscribe(subscription: Subscription): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: subscription.group,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
    });
    const entry: Running = {
      subscription,
      consumer,
      health: {
        group: subscription.group,
        joined: false,
        everJoined: false,
        crashed: false,
        assignedPartitions: 0,
        stalled: false,
      },
    };
    this.running.push(entry);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assigned = Object.values(e.payload.memberAssignment).reduce((n, parts) => n + parts.length, 0);
      entry.health = { ...entry.health, joined: true, everJoined: true, crashed: false, assignedPartitions: assigned };
    });
    consumer.on(consumer.events.REBALANCING, () => {
      entry.health = { ...entry.health, joined: false };
    });
    consumer.on(consumer.events.CRASH, (e) => {
      // kafkajs restarts on retriable failures itself; only a final crash is fatal.
      if (!e.payload.restart) entry.health = { ...entry.health, joined: false, crashed: true };
    });
    await consumer.connect();
    // A new group starts at the earliest offset: commands published before it existed are not lost.
    await consumer.subscribe({ topics: [...subscription.topics], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
        }
        const envelope = decodeEnvelope(message.value);
        await subscription.handler(envelope, {
          group: subscription.group,
          topic,
          partition,
          offset: message.offset,
          headers,
          heartbeat,
          attempt: 1,
          signal: new AbortController().signal,
        });
      },
    });
  }

  health(): readonly SubscriptionHealth[] {
    return this.running.map((r) => r.health);
  }

  /** Leaves the groups cleanly so the remaining members take over at once, not after a session timeout. */
  async close(): Promise<void> {
    await Promise.allSettled(this.running.map((r) => r.consumer.disconnect()));
  }
}
