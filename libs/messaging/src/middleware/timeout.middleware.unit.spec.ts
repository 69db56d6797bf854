import { deliveryOf, envelope } from '../../test/support/deliveries';
import { classifyFailure } from '../errors/handler-errors';
import { abortableSleep } from './backoff';
import { HandlerTimeoutError, timeout } from './timeout.middleware';

describe('timeout', () => {
  it('passes through a handler that finishes in time, and its failure', async () => {
    let aborted: boolean | undefined;
    await timeout({ timeoutMs: 1000 })(async (d) => void (aborted = d.signal.aborted))(deliveryOf(envelope()));
    expect(aborted).toBe(false);

    const failure = new Error('own failure');
    await expect(
      timeout({ timeoutMs: 1000 })(async () => {
        throw failure;
      })(deliveryOf(envelope())),
    ).rejects.toBe(failure);
  });

  it('rejects a slow handler with BLW_HANDLER_TIMEOUT, an unclassified failure, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const result = timeout({ timeoutMs: 30 })(async (d) => {
      signal = d.signal;
      await abortableSleep(2000, d.signal);
    })(deliveryOf(envelope()));

    const err: unknown = await result.catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(HandlerTimeoutError);
    expect(err).toMatchObject({ code: 'BLW_HANDLER_TIMEOUT', message: 'handler did not finish within 30 ms' });
    expect(err).not.toHaveProperty('retriable');
    expect(classifyFailure(err)).toBe('unknown');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(err);
  });

  it('passes the incoming abort (rebalance, shutdown) down through the combined signal', async () => {
    const incoming = new AbortController();
    let inner: AbortSignal | undefined;
    const result = timeout({ timeoutMs: 5000 })(async (d) => {
      inner = d.signal;
      await new Promise((resolve) => d.signal.addEventListener('abort', resolve));
    })(deliveryOf(envelope(), { signal: incoming.signal }));
    incoming.abort();
    await result;
    expect(inner?.aborted).toBe(true);
  });

  it('refuses a timeout that is not a positive integer', () => {
    expect(() => timeout({ timeoutMs: 0 })).toThrow(/timeout options are invalid \(timeoutMs: /);
  });
});
