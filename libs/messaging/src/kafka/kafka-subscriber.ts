import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { DeliveryAbortedError } from '../errors/handler-errors';
import { PARTITION_ASSIGNERS } from './co-partitioned-assigner';
import { compose } from '../pipeline/compose';
import { createDelivery } from '../pipeline/delivery';
import type { Next, Subscriber, Subscription, SubscriptionHealth } from '../ports/subscriber.port';

/** Where the runner reports consumer lag (the metrics registry implements it). */
export interface LagObserver {
  setLag(group: string, topic: string, partition: number, lag: number): void;
  /** The partition moved to another member: stop reporting it from here. */
  removeLag(group: string, topic: string, partition: number): void;
}

export interface KafkaSubscriberOptions {
  /** Partitions of one subscription processed at once; one partition is always processed in order. */
  readonly partitionsConsumedConcurrently?: number;
  /** How long the group waits for a silent member before giving its partitions away (broker minimum 6 s). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** A partition with messages waiting and no progress for this long makes the subscription "stalled". */
  readonly stallAfterMs?: number;
  readonly lag?: LagObserver;
  readonly log?: (line: string) => void;
}

interface PartitionState {
  abort: AbortController;
  lag: number;
  lastProgressAt: number;
}

/**
 * The consumer runner: one kafkajs consumer per subscription (so a slow topic cannot hold up
 * another), the group id used exactly as declared, partitions processed concurrently and each
 * partition strictly in order (so each key is), and an offset resolved only after the whole
 * middleware pipeline resolved for that message, which means its effect is stored.
 *
 * Heartbeats keep flowing while a handler works or waits (retry backoff). When the group
 * rebalances or the subscriber closes, in-flight deliveries are aborted through their signal;
 * what was finished is committed before the partitions are released, and an aborted message
 * is left uncommitted for its next owner. A replica that was frozen past its session (a
 * zombie) cannot commit any more (Kafka fences its generation); its writes are fenced by the
 * single-document inbox (see outbox/apply-once.ts).
 */
export class KafkaSubscriber implements Subscriber {
  private readonly running: Running[] = [];
  private readonly log: (line: string) => void;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaSubscriberOptions = {},
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (subscription.topics.length === 0) throw new Error(`subscription of ${subscription.group} names no topics`);
    const consumer = this.kafka.consumer({
      groupId: subscription.group,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeout: 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 1000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1000,
      partitionAssigners: PARTITION_ASSIGNERS,
    });
    const run = new Running(
      subscription,
      consumer,
      compose(subscription.middleware ?? [], subscription.handler),
      this.options,
      this.log,
    );
    this.running.push(run);
    await run.start();
  }

  health(): readonly SubscriptionHealth[] {
    return this.running.map((r) => r.health());
  }

  /** Finishes or aborts in-flight work, commits, and leaves the groups so others take over at once. */
  async close(): Promise<void> {
    await Promise.allSettled(this.running.map((r) => r.stop()));
  }
}

class Running {
  private readonly partitions = new Map<string, PartitionState>();
  private joined = false;
  private everJoined = false;
  private crashed = false;
  private assigned = 0;
  private stopping = false;

  constructor(
    private readonly subscription: Subscription,
    private readonly consumer: Consumer,
    private readonly pipeline: Next,
    private readonly options: KafkaSubscriberOptions,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.assigned = Object.values(e.payload.memberAssignment).reduce((n, parts) => n + parts.length, 0);
      this.joined = true;
      this.everJoined = true;
      this.crashed = false;
      // Partitions this member no longer owns must not keep state (lag, stalled) around.
      const owned = new Set(Object.entries(e.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}:${p}`)));
      for (const tp of [...this.partitions.keys()]) {
        if (owned.has(tp)) continue;
        this.partitions.delete(tp);
        const cut = tp.lastIndexOf(':');
        this.options.lag?.removeLag(this.subscription.group, tp.slice(0, cut), Number(tp.slice(cut + 1)));
      }
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.joined = false;
      this.abortAll();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.abortAll();
      // kafkajs restarts the consumer itself after retriable failures; only a final crash is fatal.
      if (!e.payload.restart) {
        this.crashed = true;
        this.joined = false;
        this.log(`consumer of group ${this.subscription.group} crashed for good: ${e.payload.error.message}`);
      }
    });
    await consumer.connect();
    // A new group starts at the earliest offset: commands published before it existed are not lost.
    await consumer.subscribe({ topics: [...this.subscription.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      autoCommitThreshold: 200,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abortAll();
    await this.consumer.disconnect();
  }

  health(): SubscriptionHealth {
    const stallAfter = this.options.stallAfterMs ?? 60_000;
    const now = Date.now();
    const stalled = [...this.partitions.values()].some((p) => p.lag > 0 && now - p.lastProgressAt > stallAfter);
    return {
      group: this.subscription.group,
      joined: this.joined,
      everJoined: this.everJoined,
      crashed: this.crashed,
      assignedPartitions: this.assigned,
      stalled,
    };
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    const { group } = this.subscription;
    const state = this.partition(batch.topic, batch.partition);
    const high = Number(batch.highWatermark);
    // Lag as of the batch start: a partition stuck retrying its first message shows its real lag.
    const first = batch.messages[0];
    if (first) {
      state.lag = Math.max(0, high - Number(first.offset));
      this.options.lag?.setLag(group, batch.topic, batch.partition, state.lag);
    }
    // Heartbeats continue while a handler works or waits; a rebalance shows up here first.
    const beat = setInterval(() => {
      heartbeat().catch(() => state.abort.abort());
    }, this.options.heartbeatIntervalMs ?? 1000);
    let lastCommit = Date.now();
    // The first message of this batch not processed; kafkajs's next fetch continues after the
    // batch, not after the last resolved offset, so leaving early without seeking back would
    // skip these messages in this process and let later commits pass over them.
    let unprocessed: string | null = null;
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || this.stopping || state.abort.signal.aborted) {
          unprocessed = message.offset;
          break;
        }
        const delivery = createDelivery({
          group,
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          timestamp: new Date(Number(message.timestamp)).toISOString(),
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value,
          headers: decodeHeaders(message.headers),
          signal: state.abort.signal,
          heartbeat: () => heartbeat(),
        });
        try {
          await this.pipeline(delivery);
        } catch (err) {
          unprocessed = message.offset;
          if (err instanceof DeliveryAbortedError || state.abort.signal.aborted) break;
          // Only a pipeline without retry/dead-letter middleware gets here. The message is not
          // skipped: the consumer seeks back to it and fetches it again, after a pause.
          this.log(
            `group ${group}: ${batch.topic}[${batch.partition}]@${message.offset} failed and will be redelivered: ${String(err)}`,
          );
          await sleep(1000, state.abort.signal);
          break;
        }
        resolveOffset(message.offset);
        state.lastProgressAt = Date.now();
        state.lag = Math.max(0, high - Number(message.offset) - 1);
        this.options.lag?.setLag(group, batch.topic, batch.partition, state.lag);
        // At most once a second, not per message: a commit is a replicated write. Committing
        // less often only widens what a crash redelivers, which the inbox dedupes; but a long
        // batch must not hold all its progress until its end either.
        if (Date.now() - lastCommit >= 1000) {
          lastCommit = Date.now();
          await commitOffsetsIfNecessary().catch(() => state.abort.abort());
        }
      }
      await commitOffsetsIfNecessary().catch(() => state.abort.abort());
      if (unprocessed !== null && !this.stopping) this.seekBack(batch.topic, batch.partition, unprocessed);
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Makes the next fetch of this partition start at `offset` again. If the partition has moved
   * to another member, kafkajs refuses; the new owner starts from the committed offset anyway.
   */
  private seekBack(topic: string, partition: number, offset: string): void {
    try {
      this.consumer.seek({ topic, partition, offset });
    } catch (err) {
      this.log(`group ${this.subscription.group}: ${topic}[${partition}] left at ${offset} (${String(err)})`);
    }
  }

  /** State of a partition this member processes; a fresh abort signal after the previous one fired. */
  private partition(topic: string, partition: number): PartitionState {
    const key = `${topic}:${partition}`;
    let state = this.partitions.get(key);
    if (!state) {
      state = { abort: new AbortController(), lag: 0, lastProgressAt: Date.now() };
      this.partitions.set(key, state);
    } else if (state.abort.signal.aborted && !this.stopping) {
      state.abort = new AbortController();
      state.lastProgressAt = Date.now();
    }
    return state;
  }

  private abortAll(): void {
    for (const state of this.partitions.values()) state.abort.abort();
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
