import { randomUUID } from 'node:crypto';
import { supervisor, waitFor } from '../support/stack';
import { waitForHealthyStack } from '../support/cluster';
import {
  call,
  customerToken,
  errorCode,
  getOrder,
  newCustomer,
  newSku,
  orderBody,
  placeAndSettle,
  placeOrder,
  restock,
  sagaIsrFull,
  waitForFinal,
  type OrderView,
} from '../support/orders';

/**
 * ARCHITECTURE.md guarantee 1 on the order API: with 2 of 3 Kafka nodes down, min.insync.replicas=2
 * cannot be met, so POST /api/orders must answer 503 + Retry-After and never 202; what was
 * acknowledged before stays readable, and a key refused with 503 may be used again.
 */
describe('orders during a Kafka outage (2 of 3 nodes stopped)', () => {
  beforeAll(async () => {
    await waitForHealthyStack();
    await waitFor('ISR of 3 on the saga topics', sagaIsrFull, 120_000, 2000);
  });

  it('POST /api/orders answers 503 BLW_BROKER_UNAVAILABLE with Retry-After, never 202; a confirmed order survives; the saga resumes after', async () => {
    const sku = newSku('outage');
    await restock(sku, 20, 300);
    const customer = newCustomer('outage');
    const token = await customerToken(customer);
    const before = await placeAndSettle(token, orderBody([{ sku, quantity: 2 }]));
    expect(before.status).toBe('CONFIRMED');

    const refusedKey = randomUUID();
    const attempts: { status: number; ms: number; code: string; retryAfter: string | null }[] = [];
    let readDuring: number | null = null;
    await supervisor.stop('kafka-2');
    await supervisor.stop('kafka-3');
    try {
      // Concurrently: each waits out the ingress's publish deadline (15 s) before its 503.
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key: i === 0 ? refusedKey : randomUUID() }),
        ),
      );
      for (const res of answers) {
        attempts.push({ status: res.status, ms: res.ms, code: errorCode(res), retryAfter: res.headers.get('retry-after') });
        if (res.status === 503) expect(res.json).toMatchObject({ error: { retriable: true } });
      }
      readDuring = (await getOrder(token, before.orderId)).status;
    } finally {
      await supervisor.start('kafka-2');
      await supervisor.start('kafka-3');
    }
    console.log(`during the outage: ${JSON.stringify(attempts)}; GET of the confirmed order answered ${readDuring}`);
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 503, 503]);
    for (const a of attempts) {
      expect(a.code).toBe('BLW_BROKER_UNAVAILABLE');
      expect(a.retryAfter).toBe('5');
    }

    const recoveryStarted = Date.now();
    await waitForHealthyStack(240_000);
    await waitFor('ISR of 3 on the saga topics', sagaIsrFull, 240_000, 2000);
    console.log(`stack healthy, ISR full ${Date.now() - recoveryStarted} ms after the restart`);

    const old = await getOrder(token, before.orderId);
    expect(old.status).toBe(200);
    expect(old.json).toEqual(before);

    // The key that got 503 was released: the client may retry with it, and the order goes through.
    let retried = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key: refusedKey });
    for (let i = 0; retried.status === 503 && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 3000));
      retried = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key: refusedKey });
    }
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).not.toBe('true');
    const after = await waitForFinal(token, retried.json?.orderId as string, 120_000);
    expect(after.status).toBe('CONFIRMED');

    // Nothing from the refused attempts became an order: the two confirmed ones only.
    const list = await call<{ items: OrderView[] }>('GET', '/api/orders?limit=100', { token });
    expect(list.json?.items.map((o) => o.orderId).sort()).toEqual([before.orderId, after.orderId].sort());
  }, 600_000);
});
