import type { Envelope } from '@bulwark/contracts';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { encodeEnvelope } from '../codec/envelope-codec';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import type { PublishOptions, Publisher } from '../ports/publisher.port';
import type { RawPublisher, RawRecord } from '../ports/raw-publisher.port';

/** Where the publisher reports what it did (the metrics registry implements it). */
export interface PublishObserver {
  published(topic: string, messages: number, seconds: number): void;
  failed(topic: string, code: string): void;
}

export interface KafkaPublisherOptions {
  /** Default deadline of a publish; past it the caller gets a retriable BLW_PUBLISH_TIMEOUT. */
  readonly timeoutMs?: number;
  /**
   * How long a send may wait for others to join its request. 0 (default): a lone message goes
   * at once; batching still happens naturally, because sends made while a request is in flight
   * all go together in the next one.
   */
  readonly lingerMs?: number;
  /** Most messages in one produce request. */
  readonly maxBatchMessages?: number;
  /** Backpressure: publishes beyond this many queued messages wait for room (until their deadline). */
  readonly maxQueuedMessages?: number;
  readonly observer?: PublishObserver;
}

/** Kafka error types that no amount of retrying will fix. */
const PERMANENT = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CORRUPT_MESSAGE',
  'INVALID_REQUIRED_ACKS',
]);

interface Pending {
  readonly topic: string;
  readonly messages: Message[];
  readonly deadline: number;
  readonly enqueuedAt: number;
  /** Sent alone after a permanent failure of a shared request, so one bad message fails only its caller. */
  solo: boolean;
  settled: boolean;
  lastError: MessagingError | null;
  resolve(): void;
  reject(err: MessagingError): void;
}

/**
 * Idempotent producer, acks=all: a resolved publish means every message is on at least
 * min.insync.replicas (2) brokers. Concurrent publishes are micro-batched into one produce
 * request (one request in flight at a time, so a later publish of a key never overtakes an
 * earlier one, even across retries). Retriable failures (leader moving, ISR shrinking after
 * a broker died) are retried until each caller's deadline; then the caller gets a retriable
 * error. An attempt is at most two produce requests (kafkajs's own retry) whose broker-side wait
 * is bounded by half the time left to the earliest caller in it, so no attempt outlives its
 * callers by much. A deadline that passes while Kafka has not answered is ambiguous: the message may still
 * be committed (the leader appended it and waits for followers), which is why commands carry ids
 * and consumers dedupe, and why the HTTP edge tells clients to retry with the same key.
 *
 * Sequence hazard (the reason for resetSession): kafkajs rolls an idempotent producer's sequence
 * numbers back when a request fails, but a request that timed out may have been appended. The
 * next request on that partition then reuses the sequence with other messages: Kafka either
 * takes it for a duplicate of the appended batch and acknowledges it WITHOUT writing it (a lost
 * message reported as sent) or answers OUT_OF_ORDER_SEQUENCE_NUMBER forever. After a failed
 * request the publisher therefore starts a new producer session (new producer id, fresh
 * sequences) before it retries; the price is a possible duplicate, never a loss.
 * The default (murmur2, Java-compatible) partitioner is named explicitly so keys map to the
 * same partitions as Kafka's own clients.
 */
export class KafkaPublisher implements Publisher, RawPublisher {
  private producer: Producer;
  private readonly queue: Pending[] = [];
  private queuedMessages = 0;
  private inFlight = false;
  private lingerTimer: NodeJS.Timeout | null = null;
  private backoffMs = 0;
  private connecting: Promise<void> | null = null;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly timeoutMs: number;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly observer: PublishObserver | undefined;

  private resets = 0;

  constructor(
    private readonly kafka: Kafka,
    options: KafkaPublisherOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { timeoutMs: options } : options;
    this.timeoutMs = positive('timeoutMs', o.timeoutMs ?? 5000);
    this.lingerMs = nonNegative('lingerMs', o.lingerMs ?? 0);
    this.maxBatch = positive('maxBatchMessages', o.maxBatchMessages ?? 1000);
    this.maxQueued = positive('maxQueuedMessages', o.maxQueuedMessages ?? 20_000);
    this.observer = o.observer;
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // kafkajs refuses an idempotent producer without retries; its one retry resends the very
      // same batch with the same sequence numbers, which Kafka deduplicates. Further retries
      // happen in flush(), after resetSession.
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 },
    });
  }

  /** A new producer id and fresh sequence numbers for what follows (see the class comment). */
  private resetSession(): void {
    const old = this.producer;
    this.producer = this.newProducer();
    this.connecting = null;
    this.resets++;
    old.disconnect().catch(() => undefined);
  }

  /** How many producer sessions were replaced after a failed request (see the class comment). */
  get sessionResets(): number {
    return this.resets;
  }

  publish(topic: string, messages: readonly Envelope[], options: PublishOptions = {}): Promise<void> {
    return this.enqueue(
      topic,
      messages.map((m) => ({ key: m.key, value: encodeEnvelope(m), headers: { ...options.headers } })),
      options.timeoutMs,
    );
  }

  publishRaw(topic: string, records: readonly RawRecord[], options: { timeoutMs?: number } = {}): Promise<void> {
    return this.enqueue(
      topic,
      records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
      options.timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private async enqueue(topic: string, messages: Message[], timeoutMs = this.timeoutMs): Promise<void> {
    if (messages.length === 0) return;
    const deadline = Date.now() + timeoutMs;
    while (this.queuedMessages + messages.length > this.maxQueued && this.queuedMessages > 0) {
      if (!(await this.waitForRoom(deadline))) {
        this.observer?.failed(topic, MessagingErrorCodes.publisherOverloaded);
        throw new MessagingError(
          MessagingErrorCodes.publisherOverloaded,
          `publisher queue full (${this.queuedMessages} messages waiting for Kafka); try again later`,
          true,
        );
      }
    }
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        topic,
        messages,
        deadline,
        enqueuedAt: Date.now(),
        solo: false,
        settled: false,
        lastError: null,
        resolve,
        reject,
      };
      // Each caller's deadline holds even while a request hangs on an unresponsive broker.
      const timer = setTimeout(() => this.expire(pending, timeoutMs), Math.max(1, timeoutMs));
      pending.resolve = () => (clearTimeout(timer), resolve());
      pending.reject = (err) => (clearTimeout(timer), reject(err));
      this.queue.push(pending);
      this.queuedMessages += messages.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight || this.lingerTimer || this.queue.length === 0) return;
    const oldest = this.queue[0];
    const waited = oldest ? Date.now() - oldest.enqueuedAt : 0;
    const wait = Math.max(this.backoffMs, this.queuedMessages >= this.maxBatch ? 0 : this.lingerMs - waited);
    if (wait > 0) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        void this.flush();
      }, wait);
      return;
    }
    void this.flush();
  }

  private async flush(): Promise<void> {
    this.dropSettled();
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = true;
    const batch = this.takeBatch();
    const started = Date.now();
    let requested = false;
    try {
      await this.connect();
      requested = true;
      await this.producer.sendBatch({
        acks: -1,
        // How long the leader may wait for the in-sync replicas (see ackTimeout).
        timeout: ackTimeout(batch, started),
        compression: CompressionTypes.None,
        topicMessages: groupByTopic(batch),
      });
      this.backoffMs = 0;
      for (const p of batch) this.settle(p, null);
      for (const [topic, count] of countByTopic(batch)) this.observer?.published(topic, count, (Date.now() - started) / 1000);
    } catch (err) {
      // Any failed request gets a new session, even a clear refusal: kafkajs fails the whole send at
      // the first broker's error while another broker's part of it may still be unanswered. A failed
      // connect sent nothing, so it keeps the session.
      if (requested) this.resetSession();
      const error = classify(err, batch[0]?.topic ?? '?');
      if (!error.retriable && batch.length > 1) {
        // Find the culprit: every caller of this request retries alone.
        for (const p of batch) p.solo = true;
        this.requeue(batch);
      } else if (!error.retriable) {
        for (const p of batch) this.settle(p, error);
      } else {
        for (const p of batch) p.lastError = error;
        this.requeue(batch);
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 100), 1000);
      }
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  private takeBatch(): Pending[] {
    const first = this.queue[0];
    if (first?.solo) {
      this.queue.shift();
      return [first];
    }
    const batch: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (!next || next.solo || (batch.length > 0 && count + next.messages.length > this.maxBatch)) break;
      this.queue.shift();
      batch.push(next);
      count += next.messages.length;
    }
    return batch;
  }

  /** Failed but retriable: back to the front, in their original order, so keys keep their order. */
  private requeue(batch: Pending[]): void {
    const alive = batch.filter((p) => !p.settled);
    this.queue.unshift(...alive);
  }

  private settle(p: Pending, error: MessagingError | null): void {
    if (p.settled) return;
    p.settled = true;
    this.queuedMessages -= p.messages.length;
    this.wakeRoomWaiters();
    if (error) {
      this.observer?.failed(p.topic, error.code);
      p.reject(error);
    } else {
      p.resolve();
    }
  }

  private expire(p: Pending, timeoutMs: number): void {
    if (p.settled) return;
    const last = p.lastError;
    this.settle(
      p,
      new MessagingError(
        last?.code === MessagingErrorCodes.brokerUnavailable ? last.code : MessagingErrorCodes.publishTimeout,
        `Kafka did not acknowledge ${p.messages.length} message(s) on ${p.topic} within ${timeoutMs} ms` +
          (last ? ` (last error: ${last.message})` : ''),
        true,
        { cause: last },
      ),
    );
  }

  private dropSettled(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]?.settled) this.queue.splice(i, 1);
  }

  private waitForRoom(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(1, deadline - Date.now()));
      this.roomWaiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  private wakeRoomWaiters(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private async connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((err: unknown) => {
      this.connecting = null;
      throw err;
    });
    await this.connecting;
  }
}

function groupByTopic(batch: readonly Pending[]) {
  // Appends in place: a batch can hold up to maxBatchMessages single-message publishes, and
  // rebuilding the array for each would make every flush quadratic.
  const byTopic = new Map<string, Message[]>();
  for (const p of batch) {
    const messages = byTopic.get(p.topic);
    if (messages) messages.push(...p.messages);
    else byTopic.set(p.topic, [...p.messages]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * The broker-side ack wait of each of an attempt's (at most two) requests: half the time left to
 * its most urgent caller, within Kafka's usual bounds.
 */
function ackTimeout(batch: readonly Pending[], now: number): number {
  const earliest = Math.min(...batch.map((p) => p.deadline));
  return Math.min(30_000, Math.max(500, Math.floor((earliest - now) / 2)));
}

function countByTopic(batch: readonly Pending[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of batch) counts.set(p.topic, (counts.get(p.topic) ?? 0) + p.messages.length);
  return counts;
}

function classify(err: unknown, topic: string): MessagingError {
  const types = errorTypes(err);
  const permanent = types.find((t) => PERMANENT.has(t));
  if (permanent) {
    return new MessagingError(
      MessagingErrorCodes.publishRejected,
      `Kafka rejected the message on ${topic}: ${permanent}`,
      false,
      {
        cause: err,
      },
    );
  }
  const detail = types[0] ?? (err instanceof Error ? err.message : String(err));
  return new MessagingError(
    MessagingErrorCodes.brokerUnavailable,
    `Kafka could not take the message on ${topic}: ${detail}`,
    true,
    {
      cause: err,
    },
  );
}

/** kafkajs wraps protocol errors (type = Kafka's error name) in retry and cause chains. */
function errorTypes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const e = err as { type?: unknown; cause?: unknown; originalError?: unknown };
  const own = typeof e.type === 'string' ? [e.type] : [];
  return [...own, ...errorTypes(e.originalError, depth + 1), ...errorTypes(e.cause, depth + 1)];
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`KafkaPublisher option ${name} must be > 0 (got ${value})`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`KafkaPublisher option ${name} must be >= 0 (got ${value})`);
  return value;
}
