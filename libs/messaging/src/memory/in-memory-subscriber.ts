import { z } from 'zod';
import { abortableSleep } from '../middleware/backoff';
import { parseOptions } from '../middleware/parse-options';
import { compose } from '../pipeline/compose';
import { createDelivery } from '../pipeline/delivery';
import type { Next, Subscriber, Subscription, SubscriptionHealth } from '../ports/subscriber.port';
import type { GroupMember, InMemoryBroker, PartitionClaim } from './in-memory-broker';

export interface InMemorySubscriberOptions {
  /** Pause before redelivering a message whose pipeline failed (only without retry middleware). Default 100. */
  readonly redeliveryDelayMs?: number;
  /** A partition with messages waiting and no progress for this long makes the subscription "stalled". */
  readonly stallAfterMs?: number;
  readonly log?: (line: string) => void;
}

const optionsSchema = z
  .object({
    redeliveryDelayMs: z.number().int().min(0).default(100),
    stallAfterMs: z.number().int().positive().default(60_000),
    log: z.custom<(line: string) => void>((v) => typeof v === 'function').optional(),
  })
  .strict();

type Settings = z.output<typeof optionsSchema> & { log: (line: string) => void };

/**
 * Runs subscriptions against an InMemoryBroker with the same semantics as KafkaSubscriber: each
 * subscription is a member of its group, a partition is processed by one member at a time and
 * strictly in order, partitions concurrently, and an offset is committed only after the whole
 * pipeline resolved for that message. close() aborts in-flight deliveries through their
 * signal and resolves once they finished; what finished is committed, the rest is redelivered
 * to the next member.
 */
export class InMemorySubscriber implements Subscriber {
  private readonly members: Member[] = [];
  private readonly settings: Settings;
  private closed = false;

  constructor(
    private readonly broker: InMemoryBroker,
    options: InMemorySubscriberOptions = {},
  ) {
    const parsed = parseOptions('InMemorySubscriber', optionsSchema, options);
    this.settings = { ...parsed, log: parsed.log ?? ((line) => process.stderr.write(`${line}\n`)) };
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closed) throw new Error('subscribe() after close()');
    if (!subscription.group) throw new Error('a subscription needs a group');
    if (subscription.topics.length === 0) throw new Error(`subscription of ${subscription.group} names no topics`);
    const member = new Member(
      this.broker,
      subscription,
      compose(subscription.middleware ?? [], subscription.handler),
      this.settings,
    );
    this.broker.join(subscription.group, member);
    this.members.push(member);
  }

  health(): readonly SubscriptionHealth[] {
    return this.members.map((m) => m.health());
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.members.map((m) => m.leave()));
  }
}

class Member implements GroupMember {
  readonly topics: readonly string[];
  private readonly workers = new Set<PartitionWorker>();
  private left = false;

  constructor(
    private readonly broker: InMemoryBroker,
    private readonly subscription: Subscription,
    private readonly pipeline: Next,
    private readonly settings: Settings,
  ) {
    this.topics = [...subscription.topics];
  }

  claim(topic: string, partition: number, previousOwnerDone: Promise<void>): PartitionClaim {
    const worker = new PartitionWorker(this.broker, this.subscription.group, topic, partition, this.pipeline, this.settings);
    this.workers.add(worker);
    const done = worker.run(previousOwnerDone).finally(() => this.workers.delete(worker));
    return {
      member: this,
      release: () => {
        worker.stop();
        return done;
      },
    };
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    await this.broker.leave(this.subscription.group, this);
  }

  health(): SubscriptionHealth {
    const now = Date.now();
    return {
      group: this.subscription.group,
      joined: !this.left,
      everJoined: true,
      crashed: false,
      assignedPartitions: this.workers.size,
      stalled: [...this.workers].some((w) => w.stalled(now)),
    };
  }
}

class PartitionWorker {
  private readonly abort = new AbortController();
  private lastProgressAt = Date.now();

  constructor(
    private readonly broker: InMemoryBroker,
    private readonly group: string,
    private readonly topic: string,
    private readonly partition: number,
    private readonly pipeline: Next,
    private readonly settings: Settings,
  ) {}

  stop(): void {
    this.abort.abort();
  }

  stalled(now: number): boolean {
    const waiting =
      this.broker.committed(this.group, this.topic, this.partition) < this.broker.endOffset(this.topic, this.partition);
    return waiting && now - this.lastProgressAt > this.settings.stallAfterMs;
  }

  /** Never rejects: the next owner of the partition waits on it. */
  async run(previousOwnerDone: Promise<void>): Promise<void> {
    await previousOwnerDone;
    const { broker, group, topic, partition } = this;
    const { signal } = this.abort;
    while (!signal.aborted) {
      // The committed offset is the position: one worker per partition, committing after each message.
      const offset = broker.committed(group, topic, partition);
      const record = broker.read(topic, partition, offset);
      if (!record) {
        this.lastProgressAt = Date.now();
        await broker.nextAppend(signal);
        continue;
      }
      const delivery = createDelivery({
        group,
        topic,
        partition,
        offset: String(offset),
        timestamp: record.timestamp.toISOString(),
        key: record.key,
        value: record.value,
        headers: record.headers,
        signal,
        heartbeat: async () => undefined,
      });
      try {
        await this.pipeline(delivery);
      } catch (err) {
        // Aborted (closing or rebalancing): leave the offset for the next owner.
        if (signal.aborted) break;
        // Only a pipeline without retry/dead-letter middleware gets here: never skip, try again.
        this.settings.log(`group ${group}: ${topic}[${partition}]@${offset} failed and will be redelivered: ${String(err)}`);
        await abortableSleep(this.settings.redeliveryDelayMs, signal);
        continue;
      }
      // Resolved, even if the signal fired meanwhile: the effect is stored, so it must commit.
      broker.commit(group, topic, partition, offset + 1);
      this.lastProgressAt = Date.now();
    }
  }
}
