import { z } from 'zod';
import { deadLetterTopic } from '@bulwark/contracts';
import { classifyFailure, DeliveryAbortedError, failureCode } from '../errors/handler-errors';
import type { RawPublisher, RawRecord } from '../ports/raw-publisher.port';
import type { Delivery, Middleware } from '../ports/subscriber.port';
import { abortableSleep, backoffDelay, waitWithHeartbeat, type Sleep } from './backoff';
import { fn, parseOptions, port } from './parse-options';
import { attemptsOf } from './retry.middleware';

/** Headers a dead letter carries besides the original ones; redrive tools read them. */
export const DeadLetterHeaders = {
  originTopic: 'bulwark-dlq-origin-topic',
  originPartition: 'bulwark-dlq-origin-partition',
  originOffset: 'bulwark-dlq-origin-offset',
  /** Absent when the original record had no key. */
  originKey: 'bulwark-dlq-origin-key',
  group: 'bulwark-dlq-group',
  errorCode: 'bulwark-dlq-error-code',
  /** The error's message, cut to ERROR_MESSAGE_MAX_BYTES. */
  errorMessage: 'bulwark-dlq-error-message',
  attempts: 'bulwark-dlq-attempts',
  failedAt: 'bulwark-dlq-failed-at',
} as const;

/** Headers add to the record's size; a stack-trace-sized message could push it over the broker's limit. */
export const ERROR_MESSAGE_MAX_BYTES = 1024;

export interface DeadLetterOptions {
  readonly publisher: RawPublisher;
  /** The consumer group whose failures these are; they go to deadLetterTopic(group). */
  readonly group: string;
  readonly publishTimeoutMs?: number;
  /** Backoff between attempts to publish the dead letter. Defaults 100 and 5000 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly random?: () => number;
  readonly sleep?: Sleep;
  readonly now?: () => Date;
  /** Called once the dead letter is on the topic (metrics count it here). */
  readonly onDeadLettered?: (delivery: Delivery, code: string) => void;
}

const optionsSchema = z
  .object({
    publisher: port<RawPublisher>('publishRaw'),
    group: z.string().min(1),
    publishTimeoutMs: z.number().int().positive().default(5000),
    baseDelayMs: z.number().int().min(0).default(100),
    maxDelayMs: z.number().int().min(0).default(5000),
    heartbeatIntervalMs: z.number().int().min(1).default(1000),
    random: fn<() => number>().default(() => Math.random),
    sleep: fn<Sleep>().default(() => abortableSleep),
    now: fn<() => Date>().default(() => () => new Date()),
    onDeadLettered: fn<(delivery: Delivery, code: string) => void>().optional(),
  })
  .strict()
  .refine((o) => o.maxDelayMs >= o.baseDelayMs, { path: ['maxDelayMs'], message: 'must be >= baseDelayMs' });

/**
 * Takes a permanent failure off the partition: publishes the original record (bytes, key and
 * headers untouched, so it can be redriven exactly as it was) to `<group>.dlq` with where it
 * came from and why it failed, then resolves so the offset commits and the partition moves on.
 *
 * Anything else (transient, unknown, aborted) is rethrown: it is not final, and skipping it
 * would lose the message. Sits outside the retry middleware, so it only sees final failures.
 *
 * INVARIANT: a poison message is never skipped without its dead letter. If the dead-letter topic
 * cannot take the record, this retries until it can (the partition waits, visibly stalled) or
 * until the partition is no longer ours (DeliveryAbortedError: the next owner starts over).
 */
export function deadLetter(options: DeadLetterOptions): Middleware {
  const o = parseOptions('deadLetter', optionsSchema, options);
  const topic = deadLetterTopic(o.group);
  return (next) => async (delivery) => {
    try {
      await next(delivery);
      return;
    } catch (err) {
      if (classifyFailure(err) !== 'permanent') throw err;
      const record = deadLetterRecord(delivery, err, o.group, o.now());
      for (let retries = 1; ; retries++) {
        if (delivery.signal.aborted) throw new DeliveryAbortedError();
        try {
          await o.publisher.publishRaw(topic, [record], { timeoutMs: o.publishTimeoutMs });
          o.onDeadLettered?.(delivery, record.headers[DeadLetterHeaders.errorCode] ?? failureCode(err));
          return;
        } catch {
          await waitWithHeartbeat(backoffDelay(retries, o), delivery, o.sleep, o.heartbeatIntervalMs);
        }
      }
    }
  };
}

function deadLetterRecord(delivery: Delivery, err: unknown, group: string, failedAt: Date): RawRecord {
  const message = err instanceof Error ? err.message : String(err);
  const headers: Record<string, string> = {
    ...delivery.headers,
    [DeadLetterHeaders.originTopic]: delivery.topic,
    [DeadLetterHeaders.originPartition]: String(delivery.partition),
    [DeadLetterHeaders.originOffset]: delivery.offset,
    [DeadLetterHeaders.group]: group,
    [DeadLetterHeaders.errorCode]: failureCode(err),
    [DeadLetterHeaders.errorMessage]: truncateUtf8(message, ERROR_MESSAGE_MAX_BYTES),
    [DeadLetterHeaders.attempts]: String(attemptsOf(err) ?? delivery.attempt),
    [DeadLetterHeaders.failedAt]: failedAt.toISOString(),
  };
  if (delivery.key !== null) headers[DeadLetterHeaders.originKey] = delivery.key;
  return { key: delivery.key, value: delivery.value, headers };
}

/** Cuts to at most maxBytes of UTF-8 without splitting a character, marking the cut with '…'. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const ellipsis = '…'; // 3 bytes
  // A cut inside a multi-byte character decodes to U+FFFD at the end; drop that partial character.
  const head = bytes
    .subarray(0, maxBytes - Buffer.byteLength(ellipsis))
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return head + ellipsis;
}
