import { z } from 'zod';
import { message } from '@bulwark/contracts';
import { decodeEnvelope } from '../codec/envelope-codec';
import { newEnvelope } from '../envelope/new-envelope';
import { InMemoryBroker } from './in-memory-broker';
import { InMemoryPublisher } from './in-memory-publisher';

const Noted = message('Noted', 1, z.object({ n: z.number() }).strict());
const record = (key: string | null, n = 0) => ({ key, value: Buffer.from(String(n)), headers: {} });

describe('InMemoryBroker', () => {
  it('puts every record of a key on one partition, the same one in every broker, in append order', () => {
    const a = new InMemoryBroker();
    const b = new InMemoryBroker();
    a.createTopic('t', 12);
    b.createTopic('t', 12);
    const first = a.append('t', [record('order-1', 1), record('order-2', 2), record('order-1', 3)]);
    const again = b.append('t', [record('order-1', 4)]);

    expect(first[0]?.partition).toBe(first[2]?.partition);
    expect(again[0]?.partition).toBe(first[0]?.partition);
    expect(first[2]?.offset).toBe((first[0]?.offset ?? -1) + 1);
    // Keys spread: 50 keys over 12 partitions use more than a few of them.
    const partitions = new Set(
      a
        .append(
          't',
          Array.from({ length: 50 }, (_, i) => record(`k${i}`)),
        )
        .map((r) => r.partition),
    );
    expect(partitions.size).toBeGreaterThan(6);
  });

  it('deals records without a key round-robin', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 3);
    expect(broker.append('t', [record(null), record(null), record(null), record(null)]).map((r) => r.partition)).toEqual([
      0, 1, 2, 0,
    ]);
  });

  it('rejects a whole batch for an unknown topic, as permanent BLW_PUBLISH_REJECTED', () => {
    const broker = new InMemoryBroker();
    expect(() => broker.append('missing', [record('k')])).toThrow(
      expect.objectContaining({ code: 'BLW_PUBLISH_REJECTED', retriable: false }),
    );
  });

  it('creates a topic once and refuses to recreate it with another partition count', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 2);
    broker.append('t', [record('k')]);
    broker.createTopic('t', 2);
    expect(broker.records('t')).toHaveLength(1);
    expect(() => broker.createTopic('t', 3)).toThrow(expect.objectContaining({ code: 'BLW_TOPIC_MISCONFIGURED' }));
    expect(() => broker.createTopic('u', 0)).toThrow(expect.objectContaining({ code: 'BLW_INVALID_OPTIONS' }));
  });

  it('stores copies, so a publisher reusing its buffer or headers cannot rewrite the log', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t');
    const value = Buffer.from('abc');
    const headers: Record<string, string> = { h: '1' };
    broker.append('t', [{ key: 'k', value, headers }]);
    value.write('xyz');
    headers.h = '2';
    expect(broker.records('t')[0]).toMatchObject({ value: Buffer.from('abc'), headers: { h: '1' } });
  });
});

describe('InMemoryPublisher', () => {
  it('stores envelopes as the JSON bytes Kafka would carry, keyed by the envelope key, with the headers', async () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 4);
    const envelope = newEnvelope(Noted, 'note-1', { n: 1 }, null);
    await new InMemoryPublisher(broker).publish('t', [envelope], { headers: { traceparent: 'tp' } });
    const [stored] = broker.records('t');
    expect(stored?.key).toBe('note-1');
    expect(stored?.headers).toEqual({ traceparent: 'tp' });
    expect(decodeEnvelope(stored?.value ?? null)).toEqual(envelope);
  });

  it('rejects publishing to a topic nobody created', async () => {
    const publisher = new InMemoryPublisher(new InMemoryBroker());
    await expect(publisher.publish('nope', [newEnvelope(Noted, 'k', { n: 1 }, null)])).rejects.toMatchObject({
      code: 'BLW_PUBLISH_REJECTED',
    });
  });
});
