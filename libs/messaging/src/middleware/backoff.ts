import { DeliveryAbortedError } from '../errors/handler-errors';
import type { MessageContext } from '../ports/subscriber.port';

/** Resolves after `ms`, or early when the signal fires (the caller checks which). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** In [0, 1); injectable so tests get exact delays. */
  readonly random: () => number;
}

/**
 * Exponential backoff with full jitter: uniform between 0 and min(max, base * 2^(n-1)). The
 * jitter spreads the retries of many consumers hit by the same outage, so a recovering store is
 * not met by all of them at once.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Waits while keeping the group membership alive: a wait longer than the session timeout without
 * heartbeats would make Kafka hand the partition to another member mid-retry. Heartbeat errors
 * are ignored here: the runner notices a lost partition itself and aborts the signal, which
 * ends the wait with DeliveryAbortedError (the next owner redelivers the message).
 */
export async function waitWithHeartbeat(
  ms: number,
  context: Pick<MessageContext, 'signal' | 'heartbeat'>,
  sleep: Sleep,
  heartbeatIntervalMs: number,
): Promise<void> {
  let remaining = ms;
  do {
    if (context.signal.aborted) throw new DeliveryAbortedError();
    await context.heartbeat().catch(() => undefined);
    const slice = Math.min(remaining, heartbeatIntervalMs);
    await sleep(slice, context.signal);
    remaining -= slice;
  } while (remaining > 0);
  if (context.signal.aborted) throw new DeliveryAbortedError();
}
