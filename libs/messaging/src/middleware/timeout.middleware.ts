import { z } from 'zod';
import type { Middleware } from '../ports/subscriber.port';
import { parseOptions } from './parse-options';

/**
 * The rest of the pipeline took longer than allowed. Deliberately without a `retriable` flag: a
 * handler that hangs is as likely a bug as a slow store, so it counts as 'unknown' (retried a
 * few times, then dead-lettered) rather than retried forever.
 */
export class HandlerTimeoutError extends Error {
  readonly code = 'BLW_HANDLER_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}

export interface TimeoutOptions {
  readonly timeoutMs: number;
}

const optionsSchema = z.object({ timeoutMs: z.number().int().positive() }).strict();

/**
 * Bounds one attempt. On expiry the signal passed down is aborted (with the timeout error as
 * its reason) and the attempt rejects at once.
 *
 * HAZARD: JavaScript cannot stop a promise. A handler that ignores its signal keeps running
 * after the timeout, possibly while the retry middleware starts the next attempt of the same
 * message. Handlers must pass the signal to their I/O; the single-document inbox keeps such an
 * overlap from applying an effect twice.
 */
export function timeout(options: TimeoutOptions): Middleware {
  const { timeoutMs } = parseOptions('timeout', optionsSchema, options);
  return (next) => async (delivery) => {
    const expiry = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new HandlerTimeoutError(timeoutMs);
        expiry.abort(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      await Promise.race([next(delivery.with({ signal: AbortSignal.any([delivery.signal, expiry.signal]) })), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
