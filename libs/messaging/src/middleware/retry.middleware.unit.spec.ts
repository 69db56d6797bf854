import { deliveryOf, envelope } from '../../test/support/deliveries';
import { DeliveryAbortedError, PermanentError, TransientError } from '../errors/handler-errors';
import type { DeliveryFields } from '../pipeline/delivery';
import { attemptsOf, retry, type RetryOptions } from './retry.middleware';

/** A handler that fails with the given errors in turn, then succeeds; records attempts, waits and heartbeats. */
function scenario(failures: unknown[], options: RetryOptions = {}, fields: Partial<DeliveryFields> = {}) {
  const attempts: number[] = [];
  const sleeps: number[] = [];
  let heartbeats = 0;
  const queue = [...failures];
  const next = retry({ random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), ...options })(async (d) => {
    attempts.push(d.attempt);
    if (queue.length > 0) throw queue.shift();
  });
  const delivery = deliveryOf(envelope(), { heartbeat: async () => void heartbeats++, ...fields });
  return { result: next(delivery), attempts, sleeps, heartbeats: () => heartbeats };
}

const unknown = () => new Error('a bug');
const transient = () => new TransientError('TEST_STORE_DOWN', 'store down');

describe('retry', () => {
  it('calls the handler once when it succeeds', async () => {
    const { result, attempts, sleeps } = scenario([]);
    await result;
    expect(attempts).toEqual([1]);
    expect(sleeps).toEqual([]);
  });

  it('rethrows a permanent failure at once, with the attempt count', async () => {
    const poison = new PermanentError('TEST_POISON', 'never');
    const { result, attempts } = scenario([poison, poison]);
    await expect(result).rejects.toBe(poison);
    expect(attempts).toEqual([1]);
    expect(attemptsOf(poison)).toBe(1);
  });

  it('retries an unclassified failure maxAttempts times, then gives up as permanent BLW_HANDLER_FAILED_REPEATEDLY', async () => {
    const last = unknown();
    const { result, attempts, sleeps } = scenario([unknown(), unknown(), last, unknown()], { maxAttempts: 3 });
    const err: unknown = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'BLW_HANDLER_FAILED_REPEATEDLY', retriable: false, cause: last });
    expect((err as Error).message).toBe('gave up after 3 attempts (3 unclassified failures); last: ERR_ERROR: a bug');
    expect(attemptsOf(err)).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    // Full jitter with random() = 0.5: half of 100, then half of 200.
    expect(sleeps).toEqual([50, 100]);
  });

  it('defaults to 5 attempts for unclassified failures', async () => {
    const { result, attempts } = scenario(Array.from({ length: 9 }, unknown));
    await expect(result).rejects.toMatchObject({ code: 'BLW_HANDLER_FAILED_REPEATEDLY' });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
  });

  it('retries a transient failure past maxAttempts, backing off exponentially up to maxDelayMs', async () => {
    const { result, attempts, sleeps } = scenario(Array.from({ length: 8 }, transient), {
      maxAttempts: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
    });
    await result;
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sleeps).toEqual([50, 100, 200, 400, 500, 500, 500, 500]);
  });

  it('does not count transient failures towards the unclassified limit, but reports every attempt', async () => {
    const { result, attempts } = scenario([unknown(), transient(), transient(), unknown()], { maxAttempts: 2 });
    const err: unknown = await result.catch((e: unknown) => e);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(attemptsOf(err)).toBe(4);
  });

  it('continues counting from the attempt it was given', async () => {
    const { result, attempts } = scenario([transient()], {}, { attempt: 3 });
    await result;
    expect(attempts).toEqual([3, 4]);
  });

  it('heartbeats at least every heartbeatIntervalMs while it waits', async () => {
    const { result, sleeps, heartbeats } = scenario([transient()], {
      baseDelayMs: 700,
      heartbeatIntervalMs: 100,
      random: () => 0.5,
    });
    await result;
    expect(sleeps).toEqual([100, 100, 100, 50]);
    expect(heartbeats()).toBe(4);
  });

  it('ignores a failing heartbeat: the runner aborts the signal when the partition is really gone', async () => {
    const { result, attempts } = scenario(
      [transient()],
      {},
      {
        heartbeat: async () => {
          throw new Error('rebalance in progress');
        },
      },
    );
    await expect(result).resolves.toBeUndefined();
    expect(attempts).toEqual([1, 2]);
  });

  it('stops waiting with DeliveryAbortedError as soon as the signal fires', async () => {
    const abort = new AbortController();
    let calls = 0;
    // The real (abortable) sleep and a 10 s backoff (20 s ceiling, random 0.5): only the abort can end this quickly.
    const next = retry({ baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 0.5 })(async () => {
      calls++;
      throw transient();
    });
    const started = Date.now();
    const result = next(deliveryOf(envelope(), { signal: abort.signal }));
    setTimeout(() => abort.abort(), 20);
    await expect(result).rejects.toBeInstanceOf(DeliveryAbortedError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(calls).toBe(1);
  });

  it('turns a failure after the abort into DeliveryAbortedError, neither retried nor permanent', async () => {
    const abort = new AbortController();
    const { result, attempts } = scenario(
      [new PermanentError('TEST_CANCELLED', 'request cancelled')],
      {},
      { signal: abort.signal },
    );
    abort.abort();
    await expect(result).rejects.toBeInstanceOf(DeliveryAbortedError);
    expect(attempts).toEqual([1]);
  });

  it('rethrows a DeliveryAbortedError from below as it is', async () => {
    const aborted = new DeliveryAbortedError();
    const { result, attempts } = scenario([aborted]);
    await expect(result).rejects.toBe(aborted);
    expect(attempts).toEqual([1]);
  });

  it('refuses invalid options, naming the field', () => {
    expect(() => retry({ maxAttempts: 0 })).toThrow(/retry options are invalid \(maxAttempts: /);
    expect(() => retry({ baseDelayMs: 500, maxDelayMs: 100 })).toThrow(/maxDelayMs: must be >= baseDelayMs/);
    expect(() => retry({ sleep: 5 as never })).toThrow(/sleep: expected a function/);
  });
});
