import { randomUUID } from 'node:crypto';
import { OrdersCommands, InventoryCommands } from '@bulwark/contracts';
import { startIngress, type Ingress } from '../../test/support/ingress-harness';

const lines = [{ sku: 'WIDGET-1', quantity: 1 }];

describe('reading and cancelling orders, stock (the whole HTTP app, in-memory store and publisher)', () => {
  let ingress: Ingress;
  let alice: string;
  beforeAll(async () => {
    ingress = await startIngress();
    alice = await ingress.token('alice');
  }, 30_000);
  afterAll(() => ingress.close());
  beforeEach(() => (ingress.publisher.published.length = 0));

  const placed = async (customerId: string, placedAt: string) => {
    const orderId = randomUUID();
    await ingress.projectOrder(orderId, customerId, 'OrderPlaced', { lines, placedAt });
    return orderId;
  };

  describe('GET /api/orders/{id}', () => {
    it('answers the projected view to its owner and 404 to anyone else or for nonsense ids', async () => {
      const orderId = await placed('alice', '2026-01-01T00:00:00.000Z');
      const own = await ingress.request(`/api/orders/${orderId}`, { token: alice });
      expect(own.status).toBe(200);
      expect(await own.json()).toEqual({
        orderId,
        customerId: 'alice',
        status: 'PENDING',
        lines,
        placedAt: '2026-01-01T00:00:00.000Z',
        updatedAt: expect.any(String),
        history: [{ status: 'PENDING', at: '2026-01-01T00:00:00.000Z' }],
      });
      const foreignBody = await (
        await ingress.request(`/api/orders/${orderId}`, { token: await ingress.token('mallory') })
      ).json();
      const unknownBody = await (await ingress.request(`/api/orders/${randomUUID()}`, { token: alice })).json();
      expect(foreignBody).toEqual(unknownBody); // not even the message tells them apart
      for (const [path, token] of [
        [`/api/orders/${orderId}`, await ingress.token('mallory')],
        [`/api/orders/${randomUUID()}`, alice],
        ['/api/orders/not-a-uuid', alice],
      ] as const) {
        const res = await ingress.request(path, { token });
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'BLW_ORDER_NOT_FOUND' } });
      }
    });
  });

  describe('GET /api/orders', () => {
    it("pages through the caller's orders newest first with an opaque cursor, including accepted ones not projected yet", async () => {
      const carol = await ingress.token('carol');
      const ids = [];
      for (let i = 1; i <= 3; i++) ids.push(await placed('carol', `2026-02-0${i}T00:00:00.000Z`));
      await placed('dave', '2026-02-05T00:00:00.000Z');
      const accepted = await ingress.request('/api/orders', {
        method: 'POST',
        token: carol,
        json: { lines, payment: { cardNumber: '4111111111111111' } },
        headers: { 'idempotency-key': 'k' },
      });
      const newest = ((await accepted.json()) as { orderId: string }).orderId;

      const first = (await (await ingress.request('/api/orders?limit=2', { token: carol })).json()) as {
        items: { orderId: string; status: string }[];
        nextCursor?: string;
      };
      expect(first.items.map((o) => o.orderId)).toEqual([newest, ids[2]]);
      expect(first.items[0]!.status).toBe('PENDING');
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (await (
        await ingress.request(`/api/orders?limit=2&cursor=${first.nextCursor}`, { token: carol })
      ).json()) as typeof first;
      expect(second.items.map((o) => o.orderId)).toEqual([ids[1], ids[0]]);
      expect(second.nextCursor).toBeUndefined();
    });

    it('refuses a bad limit or cursor with 400 naming each', async () => {
      const res = await ingress.request('/api/orders?limit=500&cursor=zzz', { token: alice });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
      expect(body.error.code).toBe('BLW_VALIDATION_FAILED');
      expect(body.error.details.fields.map((f) => f.path).sort()).toEqual(['cursor', 'limit']);
    });
  });

  describe('POST /api/orders/{id}/cancel', () => {
    it('publishes CancelOrder for the owner of an order that is not final (202), with or without a body', async () => {
      const orderId = await placed('alice', '2026-03-01T00:00:00.000Z');
      const res = await ingress.request(`/api/orders/${orderId}/cancel`, {
        method: 'POST',
        token: alice,
        json: { reason: 'changed my mind' },
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ orderId, status: 'PENDING', links: { self: `/api/orders/${orderId}` } });
      expect(ingress.publisher.published[0]).toMatchObject({
        topic: OrdersCommands.name,
        envelope: { type: 'CancelOrder', key: orderId, data: { orderId, customerId: 'alice', reason: 'changed my mind' } },
      });
      const bare = await ingress.request(`/api/orders/${orderId}/cancel`, { method: 'POST', token: alice });
      expect(bare.status).toBe(202);
      expect(ingress.publisher.published[1]?.envelope.data).toMatchObject({ reason: '' });
    });

    it('answers 404 for an unknown or foreign order and 409 BLW_ORDER_FINAL for a final one', async () => {
      const orderId = await placed('alice', '2026-03-02T00:00:00.000Z');
      const foreign = await ingress.request(`/api/orders/${orderId}/cancel`, {
        method: 'POST',
        token: await ingress.token('mallory'),
      });
      expect(foreign.status).toBe(404);
      await ingress.projectOrder(orderId, 'alice', 'OrderCancelled', { reason: '' });
      const final = await ingress.request(`/api/orders/${orderId}/cancel`, { method: 'POST', token: alice });
      expect(final.status).toBe(409);
      expect(await final.json()).toMatchObject({ error: { code: 'BLW_ORDER_FINAL', details: { status: 'CANCELLED' } } });
      expect(ingress.publisher.published).toHaveLength(0);
    });

    it('rejects unknown body fields', async () => {
      const orderId = await placed('alice', '2026-03-03T00:00:00.000Z');
      const res = await ingress.request(`/api/orders/${orderId}/cancel`, { method: 'POST', token: alice, json: { why: 'x' } });
      expect(res.status).toBe(400);
      expect(ingress.publisher.published).toHaveLength(0);
    });
  });

  describe('/api/inventory/{sku}', () => {
    it('PUT publishes Restock for admins (202), 403 for customers, 400 for a bad SKU', async () => {
      const admin = await ingress.token('ops', 'admin');
      const restock = { available: 10, priceCents: 1250 };
      const forbidden = await ingress.request('/api/inventory/WIDGET-1', { method: 'PUT', token: alice, json: restock });
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toMatchObject({ error: { code: 'BLW_FORBIDDEN' } });

      const badSku = await ingress.request('/api/inventory/widget_1', { method: 'PUT', token: admin, json: restock });
      expect(badSku.status).toBe(400);
      expect(await badSku.json()).toMatchObject({
        error: { code: 'BLW_VALIDATION_FAILED', details: { fields: [{ path: 'sku' }] } },
      });

      const ok = await ingress.request('/api/inventory/WIDGET-1', { method: 'PUT', token: admin, json: restock });
      expect(ok.status).toBe(202);
      const body = (await ok.json()) as { sku: string; commandId: string };
      expect(body.sku).toBe('WIDGET-1');
      expect(ingress.publisher.published).toEqual([
        {
          topic: InventoryCommands.name,
          envelope: expect.objectContaining({
            id: body.commandId,
            type: 'Restock',
            key: 'WIDGET-1',
            data: { sku: 'WIDGET-1', ...restock },
          }),
        },
      ]);
    });

    it('GET answers the projected level to any token, 404 BLW_SKU_NOT_FOUND before there is one', async () => {
      const missing = await ingress.request('/api/inventory/GADGET-9', { token: alice });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'BLW_SKU_NOT_FOUND' } });
      await ingress.projectStock({ sku: 'GADGET-9', available: 3, reserved: 2, priceCents: 500, version: 7 });
      const found = await ingress.request('/api/inventory/GADGET-9', { token: alice });
      expect(await found.json()).toEqual({
        sku: 'GADGET-9',
        available: 3,
        reserved: 2,
        priceCents: 500,
        updatedAt: expect.any(String),
      });
    });
  });
});
