import { decodeCursor, encodeCursor } from './order-cursor';
import { listOrdersQuery } from './list-orders.query';

const cursor = { placedAt: '2026-01-01T10:00:00.123Z', orderId: '6f1c2b8e-0d7a-4a57-9a39-6c0c8b7d2a11' };

describe('order list cursor', () => {
  it('round-trips and is URL-safe', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it('is null for anything the server did not produce', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      b64('{}'),
      b64('[1,2]'),
      b64('{"p":"yesterday","i":"x"}'),
      b64('{"p":"2026-01-01T00:00:00Z"'),
      'x'.repeat(400),
    ]) {
      expect(decodeCursor(bad)).toBeNull();
    }
    expect(decodeCursor(b64(JSON.stringify({ p: cursor.placedAt, i: cursor.orderId, extra: 1 })))).toBeNull();
  });
});

describe('GET /api/orders query', () => {
  it('defaults limit to 20 and decodes the cursor', () => {
    expect(listOrdersQuery.parse({})).toEqual({ limit: 20 });
    expect(listOrdersQuery.parse({ limit: '5', cursor: encodeCursor(cursor) })).toEqual({ limit: 5, cursor });
  });

  it('refuses a limit outside 1..100 and a foreign cursor, naming each field', () => {
    const result = listOrdersQuery.safeParse({ limit: '101', cursor: 'abc' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['cursor', 'limit']);
    expect(listOrdersQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(listOrdersQuery.safeParse({ limit: 'ten' }).success).toBe(false);
  });
});
