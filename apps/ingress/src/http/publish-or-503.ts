import type { Envelope } from '@bulwark/contracts';
import { isRetriable, type Publisher } from '@bulwark/messaging';
import { ApiError } from '@bulwark/platform';

/** Retry-After for a broker outage: long enough for a leader election, short enough for a client to wait. */
const RETRY_AFTER_SECONDS = 5;

export async function publishOr503(publisher: Publisher, topic: string, command: Envelope, timeoutMs: number) {
  try {
    await publisher.publish(topic, [command], { timeoutMs });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'BLW_BROKER_UNAVAILABLE';
    if (isRetriable(err)) {
      throw new ApiError(503, code, 'Kafka could not acknowledge the command durably in time; retry later', true, undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    throw new ApiError(500, code, 'the command was rejected by the message broker', false);
  }
}
