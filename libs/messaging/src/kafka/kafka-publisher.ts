import type { Envelope } from '@bulwark/contracts';
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import { encodeEnvelope } from '../codec/envelope-codec';
import type { PublishOptions, Publisher } from '../ports/publisher.port';

/** Kafka error types that no amount of retrying will fix. */
const PERMANENT = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CORRUPT_MESSAGE',
]);

/**
 * Idempotent producer with acks=all: a resolved publish means every message is on at least
 * min.insync.replicas (2) brokers. The default (murmur2, Java-compatible) partitioner is named
 * explicitly so keys map to the same partitions as Kafka's own clients.
 */
export class KafkaPublisher implements Publisher {
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    private readonly defaultTimeoutMs = 5000,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  /**
   * Retries retriable failures (leader moving, ISR shrinking after a broker died) until the
   * deadline, then rejects. kafkajs's own retries are kept short so that no attempt outlives
   * the deadline by much: a caller told "not accepted" should not see a late write minutes later.
   */
  async publish(topic: string, messages: readonly Envelope[], options: PublishOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    let backoffMs = 100;
    let last: MessagingError | null = null;
    while (Date.now() < deadline) {
      try {
        await withDeadline(this.send(topic, messages, options.headers ?? {}), deadline - Date.now());
        return;
      } catch (err) {
        last = err instanceof MessagingError ? err : classify(err, topic);
        if (!last.retriable) throw last;
        const pause = Math.min(backoffMs, deadline - Date.now());
        if (pause <= 0) break;
        await new Promise((r) => setTimeout(r, pause));
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    }
    throw new MessagingError(
      last?.code === MessagingErrorCodes.brokerUnavailable ? last.code : MessagingErrorCodes.publishTimeout,
      `Kafka did not acknowledge ${messages.length} message(s) on ${topic} within ${timeoutMs} ms` +
        (last ? ` (last error: ${last.message})` : ''),
      true,
      { cause: last },
    );
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private async send(topic: string, messages: readonly Envelope[], headers: Readonly<Record<string, string>>) {
    try {
      this.connecting ??= this.producer.connect().catch((err: unknown) => {
        this.connecting = null;
        throw err;
      });
      await this.connecting;
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: messages.map((m) => ({ key: m.key, value: encodeEnvelope(m), headers: { ...headers } })),
      });
    } catch (err) {
      throw classify(err, topic);
    }
  }
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
function errorTypes(err: unknown, seen = 0): string[] {
  if (!err || typeof err !== 'object' || seen > 5) return [];
  const e = err as { type?: unknown; cause?: unknown; originalError?: unknown };
  const own = typeof e.type === 'string' ? [e.type] : [];
  return [...own, ...errorTypes(e.originalError, seen + 1), ...errorTypes(e.cause, seen + 1)];
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new MessagingError(MessagingErrorCodes.publishTimeout, `no acknowledgement within ${ms} ms`, true)),
      Math.max(ms, 1),
    );
    work.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
