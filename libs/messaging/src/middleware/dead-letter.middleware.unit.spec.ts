import { deliveryOf, envelope } from '../../test/support/deliveries';
import { DeliveryAbortedError, PermanentError, TransientError } from '../errors/handler-errors';
import { compose } from '../pipeline/compose';
import { createDelivery } from '../pipeline/delivery';
import type { RawPublisher, RawRecord } from '../ports/raw-publisher.port';
import type { DeliveryFields } from '../pipeline/delivery';
import { deadLetter, truncateUtf8, type DeadLetterOptions } from './dead-letter.middleware';

const FAILED_AT = new Date('2025-06-07T08:09:10.011Z');

/** Records what it was asked to publish; fails the first `failures` calls. */
function fakePublisher(failures = 0) {
  const published: { topic: string; records: readonly RawRecord[] }[] = [];
  let calls = 0;
  const publisher: RawPublisher = {
    publishRaw: async (topic, records) => {
      if (++calls <= failures) throw new TransientError('BLW_BROKER_UNAVAILABLE', 'no leader');
      published.push({ topic, records });
    },
  };
  return { publisher, published, calls: () => calls };
}

function failingWith(err: unknown, options: Partial<DeadLetterOptions> = {}, fields: Partial<DeliveryFields> = {}) {
  const { publisher, published, calls } = fakePublisher();
  const delivery = deliveryOf(envelope(), fields);
  const next = deadLetter({ publisher, group: 'orders.projection', now: () => FAILED_AT, ...options })(async () => {
    throw err;
  });
  return { result: next(delivery), published, calls, delivery };
}

describe('deadLetter', () => {
  it('publishes nothing when the pipeline succeeds', async () => {
    const { publisher, calls } = fakePublisher();
    await deadLetter({ publisher, group: 'g' })(async () => undefined)(deliveryOf(envelope()));
    expect(calls()).toBe(0);
  });

  it('publishes the original bytes, key and headers of a permanent failure to <group>.dlq with its origin, then resolves', async () => {
    const poison = Object.assign(new PermanentError('ORDER_UNKNOWN', 'order 7 does not exist'), { attempts: 4 });
    const { result, published, delivery } = failingWith(poison);
    await expect(result).resolves.toBeUndefined();

    expect(published).toHaveLength(1);
    expect(published[0]?.topic).toBe('orders.projection.dlq');
    expect(published[0]?.records).toEqual([
      {
        key: 'key-1',
        value: delivery.value,
        headers: {
          traceparent: '00-abc-def-01',
          'bulwark-dlq-origin-topic': 'test.topic',
          'bulwark-dlq-origin-partition': '2',
          'bulwark-dlq-origin-offset': '41',
          'bulwark-dlq-origin-key': 'key-1',
          'bulwark-dlq-group': 'orders.projection',
          'bulwark-dlq-error-code': 'ORDER_UNKNOWN',
          'bulwark-dlq-error-message': 'order 7 does not exist',
          'bulwark-dlq-attempts': '4',
          'bulwark-dlq-failed-at': '2025-06-07T08:09:10.011Z',
        },
      },
    ]);
  });

  it('reports the delivery attempt when no retry middleware counted attempts', async () => {
    const { result, published } = failingWith(new PermanentError('X_FAILED', 'no'), {}, { attempt: 2 });
    await result;
    expect(published[0]?.records[0]?.headers['bulwark-dlq-attempts']).toBe('2');
  });

  it('keeps a null key null and leaves out the origin-key header', async () => {
    const { result, published } = failingWith(new PermanentError('X_FAILED', 'no'), {}, { key: null });
    await result;
    const record = published[0]?.records[0];
    expect(record?.key).toBeNull();
    expect(record?.headers).not.toHaveProperty('bulwark-dlq-origin-key');
  });

  it('dead-letters a record that is not an envelope, bytes untouched, as BLW_INVALID_MESSAGE', async () => {
    const { publisher, published } = fakePublisher();
    const value = Buffer.from('{"not":"an envelope"');
    const pipeline = compose([deadLetter({ publisher, group: 'g' })], async () => undefined);
    await pipeline(createDelivery({ group: 'g', topic: 't', partition: 0, offset: '0', key: 'k', value, headers: {} }));
    expect(published[0]?.records[0]?.value).toEqual(value);
    expect(published[0]?.records[0]?.headers['bulwark-dlq-error-code']).toBe('BLW_INVALID_MESSAGE');
  });

  it.each([
    ['a transient', new TransientError('STORE_DOWN', 'down')],
    ['an unclassified', new Error('bug')],
    ['an aborted', new DeliveryAbortedError()],
  ])('rethrows %s failure and publishes nothing: it is not final', async (_kind, err) => {
    const { result, calls } = failingWith(err);
    await expect(result).rejects.toBe(err);
    expect(calls()).toBe(0);
  });

  it('cuts a long error message to 1 KB of UTF-8 without splitting a character', async () => {
    const { result, published } = failingWith(new PermanentError('X_FAILED', 'é'.repeat(2000)));
    await result;
    const message = published[0]?.records[0]?.headers['bulwark-dlq-error-message'] ?? '';
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(message)).toBeGreaterThan(1000);
    expect(message).toMatch(/^é+…$/);
  });

  it('retries publishing the dead letter with backoff and heartbeats until the topic takes it, then reports it', async () => {
    const { publisher, published, calls } = fakePublisher(3);
    const sleeps: number[] = [];
    let heartbeats = 0;
    const reported: string[] = [];
    const next = deadLetter({
      publisher,
      group: 'g',
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      onDeadLettered: (d, code) => void reported.push(`${d.topic}@${d.offset} ${code} after ${calls()} publishes`),
    })(async () => {
      throw new PermanentError('X_FAILED', 'no');
    });
    await next(deliveryOf(envelope(), { heartbeat: async () => void heartbeats++ }));
    expect(calls()).toBe(4);
    expect(published).toHaveLength(1);
    expect(reported).toEqual(['test.topic@41 X_FAILED after 4 publishes']);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(heartbeats).toBe(3);
  });

  it('never skips a poison message whose dead letter cannot be published: it waits until aborted', async () => {
    const { publisher, published } = fakePublisher(Number.POSITIVE_INFINITY);
    const abort = new AbortController();
    const next = deadLetter({ publisher, group: 'g', baseDelayMs: 1, maxDelayMs: 5 })(async () => {
      throw new PermanentError('X_FAILED', 'no');
    });
    const result = next(deliveryOf(envelope(), { signal: abort.signal }));
    let settled = false;
    void result.catch(() => undefined).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    abort.abort();
    await expect(result).rejects.toBeInstanceOf(DeliveryAbortedError);
    expect(published).toEqual([]);
  });

  it('refuses invalid options, naming the field', () => {
    const { publisher } = fakePublisher();
    expect(() => deadLetter({ publisher, group: '' })).toThrow(/deadLetter options are invalid \(group: /);
    expect(() => deadLetter({ publisher: {} as never, group: 'g' })).toThrow(/publisher: expected an object with publishRaw\(\)/);
  });
});

describe('truncateUtf8', () => {
  it('leaves a short text alone', () => {
    expect(truncateUtf8('short', 10)).toBe('short');
  });

  it('drops a character that would be cut in half', () => {
    // 'a' + three 4-byte emoji = 13 bytes; 10 bytes leave 7 before the 3-byte ellipsis: 'a' and one emoji.
    expect(truncateUtf8('a😀😀😀', 10)).toBe('a😀…');
  });
});
