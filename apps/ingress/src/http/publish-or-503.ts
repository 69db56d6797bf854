import type { Envelope } from '@bulwark/contracts';
import { isRetriable, type Publisher } from '@bulwark/messaging';
import { ApiError } from '@bulwark/platform';

/** Retry-After for a broker outage: long enough for a leader election, short enough for a client to wait. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Publishes one command or answers for the client. Every retriable failure is one API code,
 * BLW_BROKER_UNAVAILABLE (the one the OpenAPI document lists for 503): whether Kafka said
 * "not enough replicas" or said nothing before the deadline, the client's move is the same,
 * retry after Retry-After. The messaging code stays in the message for operators.
 *
 * The message says what a 503 does not promise: Kafka may still commit a command it could not
 * acknowledge in time (its leader had appended it), so the client should retry rather than
 * assume nothing happened; a retry with the same Idempotency-Key republishes the same command,
 * which consumers deduplicate.
 */
export async function publishOr503(publisher: Publisher, topic: string, command: Envelope, timeoutMs: number) {
  try {
    await publisher.publish(topic, [command], { timeoutMs });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (isRetriable(err)) {
      throw new ApiError(
        503,
        'BLW_BROKER_UNAVAILABLE',
        `Kafka could not acknowledge the command durably in time; retry after Retry-After. It may still be ` +
          `recorded; where the route takes an Idempotency-Key, a retry with the same key is never applied twice ` +
          `(${code ?? 'no code'})`,
        true,
        undefined,
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
    throw new ApiError(500, code ?? 'BLW_PUBLISH_REJECTED', 'the command was rejected by the message broker', false);
  }
}
