import { randomUUID } from 'node:crypto';
import {
  adminToken,
  call,
  customerToken,
  deadLettersFor,
  DECLINING_CARD,
  envelopeOf,
  errorCode,
  getOrder,
  getStock,
  isFinal,
  mapLimit,
  newCustomer,
  newSku,
  orderBody,
  PAYMENT_LIMIT_CENTS,
  placeAccepted,
  placeAndSettle,
  placeOrder,
  readEventStream,
  readTopic,
  restock,
  sleep,
  waitForAvailable,
  waitForFinal,
  type OrderView,
} from '../support/orders';
import { waitFor } from '../support/stack';

/**
 * The order saga end to end, through HAProxy, against docs/adr/0005-order-saga.md. Every test
 * uses its own SKUs and customers, so the file reruns on the same stack.
 */
describe('order saga through the public API', () => {
  it('stock and a good card: CONFIRMED, amount = quantity x price, history PENDING -> AWAITING_PAYMENT -> CONFIRMED, stock taken', async () => {
    const sku = newSku('ok');
    await restock(sku, 10, 1234);
    const token = await customerToken(newCustomer('ok'));

    const accepted = await placeOrder(token, orderBody([{ sku, quantity: 3 }]));
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({ status: 'PENDING', orderId: expect.any(String), commandId: expect.any(String) });
    const orderId = accepted.json?.orderId as string;
    expect(accepted.json?.links).toEqual({ self: expect.stringContaining(orderId), events: expect.stringContaining(orderId) });
    expect(accepted.headers.get('location')).toContain(`/api/orders/${orderId}`);

    const view = await waitForFinal(token, orderId);
    console.log(
      `confirmed order ${orderId} in ${Date.parse(view.updatedAt) - Date.parse(view.placedAt)} ms (placedAt -> updatedAt)`,
    );
    expect(view).toMatchObject({ orderId, status: 'CONFIRMED', amountCents: 3 * 1234, lines: [{ sku, quantity: 3 }] });
    expect(view.reason).toBeUndefined();
    expect(view.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    await waitForAvailable(token, sku, 7);
  });

  it('history times: each status change carries the moment it happened; updatedAt is the last one', async () => {
    const sku = newSku('times');
    await restock(sku, 5, 100);
    const token = await customerToken(newCustomer('times'));
    const before = Date.now();
    const view = await placeAndSettle(token, orderBody([{ sku, quantity: 1 }]));
    const after = Date.now();
    console.log(
      `placedAt ${view.placedAt}, history ${view.history.map((h) => `${h.status}@${h.at}`).join(' ')}, updatedAt ${view.updatedAt}`,
    );
    const at = view.history.map((h) => Date.parse(h.at));
    expect(view.history[0]?.at).toBe(view.placedAt);
    expect(view.updatedAt).toBe(view.history.at(-1)?.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    for (const t of at) expect(t).toBeGreaterThanOrEqual(before - 2000); // clocks of one machine
    for (const t of at) expect(t).toBeLessThanOrEqual(after + 2000);
    // PENDING -> CONFIRMED takes at least four Kafka hops and as many store writes: not the same instant.
    expect(Date.parse(view.updatedAt)).toBeGreaterThan(Date.parse(view.placedAt));
  });

  it('too little stock: REJECTED with reason OUT_OF_STOCK and a detail naming the SKU; the stock is untouched', async () => {
    const sku = newSku('short');
    await restock(sku, 2, 500);
    const token = await customerToken(newCustomer('short'));

    const view = await placeAndSettle(token, orderBody([{ sku, quantity: 3 }]));
    expect(view).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
    expect(view.detail).toContain(sku);
    expect(view.amountCents).toBeUndefined();
    expect(view.history.map((h) => h.status)).toEqual(['PENDING', 'REJECTED']);
    const stock = await getStock(token, sku);
    expect(stock.json).toMatchObject({ sku, available: 2, priceCents: 500 });
  });

  it('declining card: REJECTED with PAYMENT_DECLINED after the stock was reserved, and the stock goes back to its level before', async () => {
    const sku = newSku('decl');
    await restock(sku, 10, 700);
    const token = await customerToken(newCustomer('decl'));

    const view = await placeAndSettle(token, orderBody([{ sku, quantity: 4 }], DECLINING_CARD));
    expect(view).toMatchObject({ status: 'REJECTED', reason: 'PAYMENT_DECLINED' });
    // It got as far as payment, so the 4 units were reserved: the release is what restores them.
    expect(view.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'REJECTED']);
    const stock = await waitForAvailable(token, sku, 10);
    expect(stock.priceCents).toBe(700);
    // And it stays there.
    await sleep(1000);
    expect((await getStock(token, sku)).json?.available).toBe(10);
  });

  it(`payment limit: an amount of exactly ${PAYMENT_LIMIT_CENTS} cents is CONFIRMED, one above it is REJECTED (PAYMENT_DECLINED) and released`, async () => {
    const sku = newSku('limit');
    await restock(sku, 10, PAYMENT_LIMIT_CENTS / 2);
    const token = await customerToken(newCustomer('limit'));

    const atLimit = await placeAndSettle(token, orderBody([{ sku, quantity: 2 }]));
    expect(atLimit).toMatchObject({ status: 'CONFIRMED', amountCents: PAYMENT_LIMIT_CENTS });

    const sku2 = newSku('limit2');
    await restock(sku2, 10, PAYMENT_LIMIT_CENTS / 2 + 1);
    const above = await placeAndSettle(token, orderBody([{ sku: sku2, quantity: 2 }]));
    expect(above).toMatchObject({ status: 'REJECTED', reason: 'PAYMENT_DECLINED' });
    await waitForAvailable(token, sku2, 10);
    await waitForAvailable(token, sku, 8);
  });

  it('unknown SKU: REJECTED with reason UNKNOWN_SKU', async () => {
    const token = await customerToken(newCustomer('unknown'));
    const sku = newSku('never');
    const view = await placeAndSettle(token, orderBody([{ sku, quantity: 1 }]));
    expect(view).toMatchObject({ status: 'REJECTED', reason: 'UNKNOWN_SKU' });
    expect(view.detail).toContain(sku);
    const stock = await getStock(token, sku);
    expect({ status: stock.status, code: errorCode(stock) }).toEqual({ status: 404, code: 'BLW_SKU_NOT_FOUND' });
  });

  it("multi-line order with one line out of stock: REJECTED OUT_OF_STOCK, and the other line's reserved stock is restored", async () => {
    const plenty = newSku('plenty');
    const scarce = newSku('scarce');
    await Promise.all([restock(plenty, 10, 100), restock(scarce, 1, 100)]);
    const token = await customerToken(newCustomer('multi'));

    const view = await placeAndSettle(
      token,
      orderBody([
        { sku: plenty, quantity: 3 },
        { sku: scarce, quantity: 5 },
      ]),
    );
    expect(view).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
    expect(view.detail).toContain(scarce);
    await waitForAvailable(token, plenty, 10);
    await waitForAvailable(token, scarce, 1);
    await sleep(1000);
    expect((await getStock(token, plenty)).json?.available).toBe(10);
  });

  it('cancel while PENDING/AWAITING_PAYMENT: CANCELLED and every reserved line restored; cancel of a CONFIRMED order: 409 BLW_ORDER_FINAL', async () => {
    // Twenty lines: the coordinator collects twenty answers, which keeps the order open long
    // enough for a cancel to arrive before it is final. A cancel that still comes too late is
    // refused (the order stays CONFIRMED) and the attempt is repeated with a new order.
    const skus = Array.from({ length: 20 }, (_, i) => newSku(`cx${i}`));
    await Promise.all(skus.map((s) => restock(s, 10, 10)));
    const token = await customerToken(newCustomer('cancel'));
    const lines = skus.map((sku) => ({ sku, quantity: 2 }));

    let cancelled: OrderView | null = null;
    const attempts: string[] = [];
    for (let attempt = 0; attempt < 6 && !cancelled; attempt++) {
      const { orderId } = await placeAccepted(token, orderBody(lines));
      let outcome = 'no answer';
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        // 404 until the read model has the order (ownership is checked there); keep trying.
        const res = await call('POST', `/api/orders/${orderId}/cancel`, { token, body: { reason: 'changed my mind' } });
        outcome = `${res.status} ${errorCode(res)}`;
        if (res.status === 404) {
          await sleep(25);
          continue;
        }
        if (res.status === 202) {
          const view = await waitForFinal(token, orderId);
          outcome = `202 -> ${view.status}`;
          if (view.status === 'CANCELLED') cancelled = view;
        } else {
          expect({ status: res.status, code: errorCode(res) }).toEqual({ status: 409, code: 'BLW_ORDER_FINAL' });
        }
        break;
      }
      attempts.push(outcome);
      // Whatever happened, the lines go back to 10 unless the order was CONFIRMED.
      const final = await waitForFinal(token, orderId);
      if (final.status === 'CONFIRMED') await Promise.all(skus.map((s) => restock(s, 10, 10)));
    }
    console.log(`cancel attempts: ${attempts.join(' | ')}`);
    expect(cancelled).not.toBeNull();
    expect(cancelled?.history[0]?.status).toBe('PENDING');
    expect(cancelled?.history.at(-1)?.status).toBe('CANCELLED');
    expect(cancelled?.history.map((h) => h.status)).not.toContain('CONFIRMED');
    for (const sku of skus) await waitForAvailable(token, sku, 10);

    // A final order cannot be cancelled.
    const confirmed = await placeAndSettle(token, orderBody([{ sku: skus[0] as string, quantity: 1 }]));
    expect(confirmed.status).toBe('CONFIRMED');
    const refused = await call('POST', `/api/orders/${confirmed.orderId}/cancel`, { token, body: {} });
    expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 409, code: 'BLW_ORDER_FINAL' });
    await sleep(1500);
    expect((await getOrder(token, confirmed.orderId)).json?.status).toBe('CONFIRMED');
    expect((await getStock(token, skus[0] as string)).json?.available).toBe(9);
  });

  it('Prefer: wait=10 answers 200 with the final OrderView and Preference-Applied', async () => {
    const sku = newSku('wait');
    await restock(sku, 5, 250);
    const token = await customerToken(newCustomer('wait'));

    const res = await placeOrder(token, orderBody([{ sku, quantity: 2 }]), { waitSeconds: 10 });
    console.log(`Prefer: wait=10 answered ${res.status} in ${res.ms} ms`);
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=10');
    expect(res.json).toMatchObject({ status: 'CONFIRMED', amountCents: 500, lines: [{ sku, quantity: 2 }] });
    expect(res.json?.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    expect(res.ms).toBeLessThan(10_500);
    // The same view as GET.
    const view = await getOrder(token, res.json?.orderId as string);
    expect(view.json).toEqual(res.json);
  });

  it("GET /api/orders lists only the caller's orders, newest first, with working cursor pagination", async () => {
    const sku = newSku('list');
    await restock(sku, 20, 100);
    const customer = newCustomer('list');
    const token = await customerToken(customer);
    const other = await customerToken(newCustomer('other'));
    await placeAndSettle(other, orderBody([{ sku, quantity: 1 }]));

    const placed: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const view = await placeAndSettle(token, orderBody([{ sku, quantity: i }]));
      placed.push(view.orderId);
    }
    const newestFirst = [...placed].reverse();

    const all = await call<{ items: OrderView[]; nextCursor?: string }>('GET', '/api/orders', { token });
    expect(all.status).toBe(200);
    expect(all.json?.items.map((o) => o.orderId)).toEqual(newestFirst);
    expect(all.json?.items.every((o) => o.customerId === customer)).toBe(true);
    expect(all.json?.nextCursor).toBeUndefined();

    const seen: string[] = [];
    let cursor: string | undefined;
    const pages: number[] = [];
    do {
      const q = `/api/orders?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call<{ items: OrderView[]; nextCursor?: string }>('GET', q, { token });
      expect(page.status).toBe(200);
      pages.push(page.json?.items.length ?? -1);
      seen.push(...(page.json?.items.map((o) => o.orderId) ?? []));
      cursor = page.json?.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(newestFirst);

    for (const limit of ['0', '101', 'abc']) {
      const bad = await call('GET', `/api/orders?limit=${limit}`, { token });
      expect({ limit, status: bad.status }).toEqual({ limit, status: 400 });
    }
  });

  it('the SSE stream sends PENDING ... CONFIRMED in order, one status event per history entry, then ends; Last-Event-ID resumes', async () => {
    const sku = newSku('sse');
    await restock(sku, 5, 100);
    const token = await customerToken(newCustomer('sse'));
    const { orderId, links } = await placeAccepted(token, orderBody([{ sku, quantity: 1 }]));
    expect(links.events).toContain(`/api/orders/${orderId}/events`);

    // Open it at once; until the read model has the order it may be a 404.
    let stream = await readEventStream(`/api/orders/${orderId}/events`, { authorization: `Bearer ${token}` });
    for (let i = 0; stream.status === 404 && i < 100; i++) {
      await sleep(100);
      stream = await readEventStream(`/api/orders/${orderId}/events`, { authorization: `Bearer ${token}` });
    }
    console.log(`SSE events at ms: ${stream.arrivals.join(', ')}`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(stream.ended).toBe(true);
    expect(stream.events.map((e) => e.event)).toEqual(['status', 'status', 'status']);
    expect(stream.events.map((e) => e.id)).toEqual(['0', '1', '2']);
    const changes = stream.events.map((e) => JSON.parse(e.data) as { status: string; at: string });
    expect(changes.map((c) => c.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    const view = await getOrder(token, orderId);
    expect(changes).toEqual(view.json?.history);

    // Resume after the first entry, authenticating with ?access_token= as EventSource must.
    const resumed = await readEventStream(
      `/api/orders/${orderId}/events?access_token=${encodeURIComponent(token)}`,
      { 'last-event-id': '0' },
      20_000,
    );
    expect(resumed.status).toBe(200);
    expect(resumed.ended).toBe(true);
    expect(resumed.events.map((e) => e.id)).toEqual(['1', '2']);

    // Someone else's stream: 404, nothing leaks.
    const stranger = await customerToken(newCustomer('sse-stranger'));
    const foreign = await readEventStream(`/api/orders/${orderId}/events`, { authorization: `Bearer ${stranger}` }, 10_000);
    expect(foreign.status).toBe(404);
    expect(foreign.events).toEqual([]);
  });

  it('200 concurrent one-unit orders from 20 customers for 50 units: exactly 50 CONFIRMED, 150 OUT_OF_STOCK, stock never below 0', async () => {
    const sku = newSku('rush');
    const price = 199;
    await restock(sku, 50, price);
    const customers = Array.from({ length: 20 }, (_, i) => newCustomer(`rush${i}`));
    const tokens = await Promise.all(customers.map((c) => customerToken(c)));

    // All 200 fired at once. A client may get 503 (retriable, Retry-After) and then retries with
    // the same Idempotency-Key, as ADR 0005 allows; any other answer than 202 or such a 503 fails.
    const firstAnswers: number[] = [];
    const refused: string[] = [];
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const key = randomUUID();
        const token = tokens[i % 20] as string;
        let res = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key, timeoutMs: 90_000 });
        firstAnswers.push(res.status);
        for (let attempt = 0; res.status === 503 && attempt < 5; attempt++) {
          refused.push(`503 ${errorCode(res)} after ${res.ms} ms, Retry-After ${res.headers.get('retry-after')}`);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(res.json).toMatchObject({ error: { retriable: true } });
          await sleep(Math.min(Number(res.headers.get('retry-after')) || 1, 5) * 1000);
          res = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key, timeoutMs: 90_000 });
        }
        return res;
      }),
    );
    const acceptedMs = Date.now() - started;
    const tally = (xs: number[]) => xs.reduce<Record<number, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});
    const statuses = tally(answers.map((a) => a.status));
    console.log(
      `200 POSTs: first answers ${JSON.stringify(tally(firstAnswers))}, final answers ${JSON.stringify(statuses)} after ${acceptedMs} ms; slowest ${Math.max(...answers.map((a) => a.ms))} ms`,
    );
    for (const r of new Set(refused)) console.log(`refused: ${r}`);
    for (const a of answers.filter((x) => x.status !== 202)) console.log(`not 202: ${a.status} after ${a.ms} ms: ${a.text}`);
    // Every order must end up accepted; that is asserted last, so that if some were not, the
    // saga's invariants are still checked (and reported) for the ones that were.
    const orders = answers
      .map((a, i) => ({ status: a.status, orderId: a.json?.orderId as string, token: tokens[i % 20] as string }))
      .filter((o) => o.status === 202);
    const n = orders.length;
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(n);

    // Poll the orders not final yet, by id, gently (4 at a time, every 3 s): the saga shares the store with us.
    // Past the deadline the test fails, but waits on (up to 5 more minutes) to check the outcome.
    const final = new Map<string, OrderView>();
    const allFinal = async () => {
      const open = orders.filter((o) => !final.has(o.orderId));
      const views = await mapLimit(open, 4, (o) => getOrder(o.token, o.orderId));
      for (const v of views) if (v.status === 200 && v.json && isFinal(v.json.status)) final.set(v.json.orderId, v.json);
      return final.size >= n;
    };
    const deadlineMs = 150_000;
    let late: string | null = null;
    await waitFor(`all ${n} accepted orders final`, allFinal, deadlineMs, 3000).catch(() => {
      late = `only ${final.size} of ${n} accepted orders final ${deadlineMs} ms after the POSTs were answered`;
    });
    if (late) {
      await waitFor(`all ${n} accepted orders final (overtime)`, allFinal, 300_000, 3000).catch(async (err: Error) => {
        const stuck = orders.filter((o) => !final.has(o.orderId));
        const views = await Promise.all(stuck.map(async (o) => (await getOrder(o.token, o.orderId)).json?.status));
        const letters = await deadLettersFor(new Set([...stuck.map((o) => o.orderId), sku]));
        throw new Error(
          `${err.message}; not final: ${stuck.map((o, i) => `${o.orderId} (${views[i] ?? 'unreadable'})`).join(', ')}; dead letters for them: ${JSON.stringify(letters, null, 1)}`,
        );
      });
    }
    const settledMs = Date.now() - started;
    const views = orders.map((o) => final.get(o.orderId) as OrderView);
    const outcome: Record<string, number> = {};
    for (const v of views) {
      const key = `${v.status}${v.reason ? `/${v.reason}` : ''}`;
      outcome[key] = (outcome[key] ?? 0) + 1;
    }
    console.log(
      `all ${n} accepted orders final after ${settledMs} ms (${((n / settledMs) * 1000).toFixed(1)} orders/s)${late ? ` [LATE: ${late}]` : ''}: ${JSON.stringify(outcome)}`,
    );
    expect(outcome).toEqual({ CONFIRMED: Math.min(50, n), 'REJECTED/OUT_OF_STOCK': n - Math.min(50, n) });
    for (const v of views) if (v.status === 'CONFIRMED') expect(v.amountCents).toBe(price);

    const stock = await waitForAvailable(tokens[0] as string, sku, 0, 30_000);
    expect(stock.available).toBe(0);

    // Every level the inventory ever published for this SKU, from the topic itself.
    const levels = (await readTopic('inventory.stock', undefined, 120_000))
      .map(envelopeOf)
      .filter((e) => e?.type === 'StockLevelChanged' && e.data.sku === sku)
      .map((e) => e?.data as { available: number; reserved: number; version: number });
    const lowest = Math.min(...levels.map((l) => l.available));
    const latest = levels.reduce((a, b) => (b.version > a.version ? b : a));
    console.log(
      `inventory.stock for ${sku}: ${levels.length} StockLevelChanged, lowest available ${lowest}, latest v${latest.version} available ${latest.available} reserved ${latest.reserved}`,
    );
    expect(levels.length).toBeGreaterThanOrEqual(51);
    expect(levels.filter((l) => l.available < 0)).toEqual([]);
    expect(latest.available).toBe(0);

    // Nothing of this test's orders was given up on.
    expect(await deadLettersFor(new Set([...orders.map((o) => o.orderId), sku]))).toEqual([]);

    expect(statuses).toEqual({ 202: 200 });
    expect(late).toBeNull();
  }, 600_000);

  it('admin token reads stock; a customer token reads stock too (any token)', async () => {
    const sku = newSku('read');
    await restock(sku, 3, 42);
    const admin = await adminToken();
    const customer = await customerToken(newCustomer('read'));
    for (const token of [admin, customer]) {
      const res = await getStock(token, sku);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ sku, available: 3, priceCents: 42 });
    }
  });
});
