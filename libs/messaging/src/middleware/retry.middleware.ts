import { z } from 'zod';
import { classifyFailure, DeliveryAbortedError, failureCode, PermanentError } from '../errors/handler-errors';
import type { Middleware } from '../ports/subscriber.port';
import { abortableSleep, backoffDelay, waitWithHeartbeat, type Sleep } from './backoff';
import { fn, parseOptions } from './parse-options';

export const HANDLER_FAILED_REPEATEDLY = 'BLW_HANDLER_FAILED_REPEATEDLY';

export interface RetryOptions {
  /** Attempts before an unclassified ('unknown') failure is treated as permanent. Default 5. */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles per retry up to maxDelayMs. Default 100. */
  readonly baseDelayMs?: number;
  /** Default 5000. */
  readonly maxDelayMs?: number;
  /** How often to heartbeat while waiting; below any session timeout. Default 1000. */
  readonly heartbeatIntervalMs?: number;
  readonly random?: () => number;
  readonly sleep?: Sleep;
}

const optionsSchema = z
  .object({
    maxAttempts: z.number().int().min(1).default(5),
    baseDelayMs: z.number().int().min(0).default(100),
    maxDelayMs: z.number().int().min(0).default(5000),
    heartbeatIntervalMs: z.number().int().min(1).default(1000),
    random: fn<() => number>().default(() => Math.random),
    sleep: fn<Sleep>().default(() => abortableSleep),
  })
  .strict()
  .refine((o) => o.maxDelayMs >= o.baseDelayMs, { path: ['maxDelayMs'], message: 'must be >= baseDelayMs' });

/**
 * Retries a delivery according to how it failed (errors/handler-errors.ts), without letting
 * the partition move on:
 *  - permanent: rethrown at once (the dead-letter middleware outside takes it);
 *  - transient: retried for as long as it takes (the store or broker will come back), with
 *    backoff and heartbeats, until the signal says the partition is no longer ours;
 *  - unknown: retried until maxAttempts, then rethrown as permanent BLW_HANDLER_FAILED_REPEATEDLY.
 * Every error thrown out carries `attempts` (see attemptsOf) for the dead letter's headers.
 */
export function retry(options: RetryOptions = {}): Middleware {
  const o = parseOptions('retry', optionsSchema, options);
  return (next) => async (delivery) => {
    let attempt = delivery.attempt;
    let unknownFailures = 0;
    for (let retries = 1; ; retries++) {
      if (delivery.signal.aborted) throw new DeliveryAbortedError();
      try {
        await next(delivery.with({ attempt }));
        return;
      } catch (err) {
        // The failure may be a consequence of the abort (a cancelled request); either way the
        // message is no longer ours to retry or to dead-letter: the next owner redelivers it.
        if (err instanceof DeliveryAbortedError) throw err;
        if (delivery.signal.aborted) throw new DeliveryAbortedError();
        const kind = classifyFailure(err);
        if (kind === 'permanent') throw withAttempts(err, attempt);
        if (kind === 'unknown' && ++unknownFailures >= o.maxAttempts) {
          const last = err instanceof Error ? err.message : String(err);
          throw withAttempts(
            new PermanentError(
              HANDLER_FAILED_REPEATEDLY,
              `gave up after ${attempt} attempts (${unknownFailures} unclassified failures); last: ${failureCode(err)}: ${last}`,
              { cause: err },
            ),
            attempt,
          );
        }
      }
      await waitWithHeartbeat(backoffDelay(retries, o), delivery, o.sleep, o.heartbeatIntervalMs);
      attempt++;
    }
  };
}

/** How many times the pipeline ran the handler before this error came out of it, if known. */
export function attemptsOf(err: unknown): number | undefined {
  const attempts = (err as { attempts?: unknown } | null)?.attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

function withAttempts<E>(err: E, attempts: number): E {
  if (typeof err === 'object' && err !== null && Object.isExtensible(err)) {
    Object.defineProperty(err, 'attempts', { value: attempts, configurable: true, writable: true, enumerable: false });
  }
  return err;
}
