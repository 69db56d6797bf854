import { OrdersCommands } from '@bulwark/contracts';
import { startIngress, type Ingress } from '../../test/support/ingress-harness';
import { requestFingerprint } from './request-fingerprint';

const order = { lines: [{ sku: 'WIDGET-1', quantity: 2 }], payment: { cardNumber: '4111111111111111' } };

describe('POST /api/orders (the whole HTTP app, in-memory store and publisher)', () => {
  let ingress: Ingress;
  let alice: string;
  beforeAll(async () => {
    ingress = await startIngress();
    alice = await ingress.token('alice');
  }, 30_000); // booting Nest under jest's ESM loader takes seconds on a busy machine
  afterAll(() => ingress.close());
  beforeEach(() => {
    ingress.publisher.published.length = 0;
    ingress.publisher.failing = false;
  });

  const place = (key: string | undefined, body: unknown = order, headers: Record<string, string> = {}) =>
    ingress.request('/api/orders', {
      method: 'POST',
      token: alice,
      json: body,
      headers: key === undefined ? headers : { 'idempotency-key': key, ...headers },
    });

  it('answers 202 CommandAccepted with Location once the PlaceOrder is published, and the owner can read it at once (PENDING)', async () => {
    const res = await place('k-accept');
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      orderId: string;
      commandId: string;
      status: string;
      links: { self: string; events: string };
    };
    expect(body).toEqual({
      orderId: expect.any(String),
      commandId: expect.any(String),
      status: 'PENDING',
      links: { self: `/api/orders/${body.orderId}`, events: `/api/orders/${body.orderId}/events` },
    });
    expect(res.headers.get('location')).toBe(body.links.self);

    expect(ingress.publisher.published).toHaveLength(1);
    expect(ingress.publisher.published[0]).toMatchObject({
      topic: OrdersCommands.name,
      envelope: {
        type: 'PlaceOrder',
        id: body.commandId,
        key: body.orderId,
        data: { orderId: body.orderId, customerId: 'alice', ...order },
      },
    });

    const read = await ingress.request(body.links.self, { token: alice });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      orderId: body.orderId,
      customerId: 'alice',
      status: 'PENDING',
      lines: order.lines,
    });
    const other = await ingress.request(body.links.self, { token: await ingress.token('mallory') });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'BLW_ORDER_NOT_FOUND' } });
  });

  it('needs an Idempotency-Key (400 BLW_IDEMPOTENCY_KEY_MISSING)', async () => {
    const res = await place(undefined);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BLW_IDEMPOTENCY_KEY_MISSING', retriable: false } });
  });

  it('rejects an invalid body with every failing field, and publishes nothing', async () => {
    const res = await place('k-invalid', {
      lines: [
        { sku: 'lower', quantity: 0 },
        { sku: 'lower', quantity: 1 },
      ],
      payment: { cardNumber: 'x' },
      coupon: 'FREE',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
    expect(body.error.code).toBe('BLW_VALIDATION_FAILED');
    expect(body.error.details.fields.map((f) => f.path).sort()).toEqual(
      expect.arrayContaining(['coupon', 'lines.0.quantity', 'lines.0.sku', 'lines.1.sku', 'payment.cardNumber']),
    );
    expect(ingress.publisher.published).toHaveLength(0);
  });

  it('answers a retry with the same key and body with the first response (Idempotent-Replayed), one order only', async () => {
    const first = await place('k-replay');
    const firstBody = await first.json();
    const reordered = { payment: order.payment, lines: order.lines };
    const again = await place('k-replay', reordered);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await again.json()).toEqual(firstBody);
    expect(ingress.publisher.published).toHaveLength(1);
  });

  it('scopes keys per subject', async () => {
    await place('k-shared');
    const bob = await ingress.request('/api/orders', {
      method: 'POST',
      token: await ingress.token('bob'),
      json: order,
      headers: { 'idempotency-key': 'k-shared' },
    });
    expect(bob.status).toBe(202);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(ingress.publisher.published).toHaveLength(2);
  });

  it('refuses the same key with another body (422 BLW_IDEMPOTENCY_KEY_REUSED)', async () => {
    await place('k-reuse');
    const res = await place('k-reuse', { ...order, lines: [{ sku: 'WIDGET-1', quantity: 3 }] });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'BLW_IDEMPOTENCY_KEY_REUSED' } });
  });

  it('answers 409 BLW_IDEMPOTENCY_IN_FLIGHT with Retry-After 1 while the first request is being processed', async () => {
    const now = new Date().toISOString();
    await ingress.db.collection('idempotency_keys').insertOne({
      _id: 'alice:k-busy',
      generation: 1,
      fingerprint: requestFingerprint(order),
      state: 'in-flight',
      orderId: 'o',
      commandId: 'c',
      commandAt: now,
      startedAt: now,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const res = await place('k-busy');
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'BLW_IDEMPOTENCY_IN_FLIGHT', retriable: true } });
  });

  it('answers 503 + Retry-After 5 when Kafka refuses; a retry with the same key then publishes the SAME command', async () => {
    ingress.publisher.failing = true;
    const refused = await place('k-outage');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: { code: 'BLW_BROKER_UNAVAILABLE', retriable: true } });
    const record = await ingress.db.collection('idempotency_keys').findOne({ _id: 'alice:k-outage' });
    expect(record).toMatchObject({ state: 'failed' });
    // Nothing was accepted, so nothing is shown.
    expect(await ingress.db.collection('accepted_orders').findOne({ _id: record!.orderId as string })).toBeNull();

    ingress.publisher.failing = false;
    const accepted = await place('k-outage');
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ orderId: record!.orderId, commandId: record!.commandId });
    expect(ingress.publisher.published.map((p) => p.envelope.id)).toEqual([record!.commandId]);
  });

  it('rides out a busy store (FerretDB SQLITE_BUSY under a burst): the writes are retried and the client gets its 202', async () => {
    ingress.db.collection('idempotency_keys').busyWrites = 3;
    ingress.db.collection('accepted_orders').busyWrites = 2;
    const res = await place('k-busy-store');
    expect(res.status).toBe(202);
    const { orderId } = (await res.json()) as { orderId: string };
    expect(await ingress.db.collection('idempotency_keys').findOne({ _id: 'alice:k-busy-store' })).toMatchObject({
      state: 'completed',
    });
    expect(await ingress.db.collection('accepted_orders').findOne({ _id: orderId })).not.toBeNull();
  });

  it('under Prefer: wait=N answers 200 with the final OrderView when it gets there in time', async () => {
    const pending = place('k-wait', order, { prefer: 'wait=3' });
    // The saga runs elsewhere; here the projection is fed by hand once the command is out.
    while (ingress.publisher.published.length === 0) await new Promise((r) => setTimeout(r, 20));
    const orderId = ingress.publisher.published[0]!.envelope.key;
    await ingress.projectOrder(orderId, 'alice', 'OrderPlaced', { lines: order.lines, placedAt: new Date().toISOString() });
    await ingress.projectOrder(orderId, 'alice', 'OrderRejected', {
      reason: 'OUT_OF_STOCK',
      detail: 'WIDGET-1: requested 2, available 0',
    });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=3');
    expect(await res.json()).toMatchObject({ orderId, status: 'REJECTED', reason: 'OUT_OF_STOCK' });
  });

  it('under Prefer: wait=1 answers the usual 202 if the order is not final by then', async () => {
    const res = await place('k-wait-short', order, { prefer: 'wait=1' });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBeNull();
  });
});
