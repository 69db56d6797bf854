import { z } from 'zod';
import { declareTopic, message } from '@bulwark/contracts';
import { deliveryOf, envelope } from '../../test/support/deliveries';
import type { Delivery } from '../ports/subscriber.port';
import { schemaValidation } from './schema-validation.middleware';

const PingV1 = message('Ping', 1, z.object({ pingId: z.uuid(), text: z.string().max(5) }).strict());
const PingV2 = message('Ping', 2, z.object({ pingId: z.uuid(), text: z.string(), loud: z.boolean() }).strict());
const Pong = message('Pong', 1, z.object({}).strict());
const commands = declareTopic({ name: 'test.topic', messages: { PingV1, PingV2 } });
const events = declareTopic({ name: 'test.events', messages: { Pong } });
const PING_ID = '3f0c1c1e-6a8e-4a3c-9d3e-2d4f8b1c7a10';

function run(delivery: Delivery) {
  const seen: Delivery[] = [];
  const next = schemaValidation({ topics: [commands, events] })(async (d) => void seen.push(d));
  return { result: next(delivery), seen };
}

describe('schemaValidation', () => {
  it('passes a message that matches its declared type, version and schema', async () => {
    const delivery = deliveryOf(envelope({ data: { pingId: PING_ID, text: 'hi' } }));
    const { result, seen } = run(delivery);
    await result;
    expect(seen).toEqual([delivery]);
  });

  it('validates each version against its own schema', async () => {
    const { result, seen } = run(deliveryOf(envelope({ version: 2, data: { pingId: PING_ID, text: 'long text', loud: true } })));
    await result;
    expect(seen).toHaveLength(1);
  });

  it('rejects invalid data as permanent BLW_SCHEMA_INVALID naming every failing field', async () => {
    const { result, seen } = run(deliveryOf(envelope({ data: { pingId: 'nope', text: 'too long', extra: 1 } })));
    await expect(result).rejects.toMatchObject({ code: 'BLW_SCHEMA_INVALID', retriable: false });
    await expect(result).rejects.toThrow(/fields: data\.pingId, data\.text, data\.extra\)/);
    expect(seen).toEqual([]);
  });

  it('rejects data that is not an object at all, naming data itself', async () => {
    const { result } = run(deliveryOf(envelope({ data: 'a string' })));
    await expect(result).rejects.toThrow(/fields: data\)/);
  });

  it('rejects a version nobody declared as BLW_SCHEMA_INVALID naming the version', async () => {
    const { result, seen } = run(deliveryOf(envelope({ version: 3, data: { pingId: PING_ID, text: 'hi' } })));
    await expect(result).rejects.toMatchObject({ code: 'BLW_SCHEMA_INVALID', retriable: false });
    await expect(result).rejects.toThrow('Ping v3 is not declared on test.topic (fields: version; declared: v1, v2)');
    expect(seen).toEqual([]);
  });

  it('rejects a type not declared on the topic, even when another topic declares it', async () => {
    const { result, seen } = run(deliveryOf(envelope({ type: 'Pong', data: {} })));
    await expect(result).rejects.toMatchObject({ code: 'BLW_UNKNOWN_MESSAGE_TYPE', retriable: false });
    await expect(result).rejects.toThrow('Pong is not declared on test.topic (declared: Ping)');
    expect(seen).toEqual([]);
  });

  it('rejects messages on a topic it has no declaration for', async () => {
    const { result } = run(deliveryOf(envelope({ data: { pingId: PING_ID, text: 'hi' } }), { topic: 'other.topic' }));
    await expect(result).rejects.toMatchObject({ code: 'BLW_UNKNOWN_MESSAGE_TYPE' });
  });

  it('refuses options declaring a topic twice, naming the field', () => {
    expect(() => schemaValidation({ topics: [commands, events, commands] })).toThrow(
      expect.objectContaining({ code: 'BLW_INVALID_OPTIONS', message: expect.stringContaining('topics.2.name: declared twice') }),
    );
  });

  it('refuses options declaring one type and version twice on a topic', () => {
    const twice = declareTopic({ name: 't', messages: { A: PingV1, B: PingV1 } });
    expect(() => schemaValidation({ topics: [twice] })).toThrow(/topics\.0\.messages\.B: Ping v1 declared twice/);
  });

  it('refuses a message declaration without a schema, naming its path', () => {
    const broken = { name: 't', partitions: 1, messages: { A: { type: 'A', version: 1 } } };
    expect(() => schemaValidation({ topics: [broken as never] })).toThrow(/topics\.0\.messages\.A\.schema/);
  });
});
