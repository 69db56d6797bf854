import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  adminToken,
  call,
  customerToken,
  envelopeOf,
  endOffsets,
  errorCode,
  getOrder,
  newCustomer,
  newSku,
  orderBody,
  placeAndSettle,
  placeOrder,
  readTopic,
  restock,
  sleep,
  sumOffsets,
  waitForFinal,
  type OrderView,
} from '../support/orders';

/** The documented development signing key of the local stack (docs/adr/0005-order-saga.md). */
const DEV_JWT_SECRET = 'bulwark-local-development-signing-key-NOT-for-production';

/** The HTTP edge of the order API (docs/adr/0005-order-saga.md): idempotency, input, auth, rate limit, docs. */

const listOrders = (token: string) =>
  call<{ items: OrderView[]; nextCursor?: string }>('GET', '/api/orders?limit=100', { token });

/** The PlaceOrder commands of `customerId` among orders.commands records from `from` on. */
async function placeOrderCommandsOf(customerId: string, from: Map<number, number>) {
  return (await readTopic('orders.commands', from))
    .map(envelopeOf)
    .filter((e) => e?.type === 'PlaceOrder' && e.data.customerId === customerId);
}

describe('POST /api/orders idempotency (draft-ietf-httpapi-idempotency-key-header)', () => {
  it('same key and body three times: the first answer again with Idempotent-Replayed, one order only', async () => {
    const sku = newSku('idem');
    await restock(sku, 10, 100);
    const customer = newCustomer('idem');
    const token = await customerToken(customer);
    const before = await endOffsets('orders.commands');
    const key = randomUUID();
    const body = orderBody([{ sku, quantity: 1 }]);

    const first = await placeOrder(token, body, { key });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).not.toBe('true');
    for (let i = 0; i < 2; i++) {
      const again = await placeOrder(token, body, { key });
      expect(again.status).toBe(first.status);
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
    }
    // The same body with its keys in another order is the same request (canonical JSON fingerprint).
    const reordered = await placeOrder(token, { payment: body.payment, lines: [{ quantity: 1, sku }] }, { key });
    expect(reordered.status).toBe(first.status);
    expect(reordered.json?.orderId).toBe(first.json?.orderId);

    await waitForFinal(token, first.json?.orderId as string);
    const list = await listOrders(token);
    expect(list.json?.items.map((o) => o.orderId)).toEqual([first.json?.orderId]);
    const commands = await placeOrderCommandsOf(customer, before);
    console.log(`PlaceOrder commands on orders.commands for the replayed key: ${commands.length}`);
    expect(new Set(commands.map((c) => c?.data.orderId))).toEqual(new Set([first.json?.orderId]));

    // A key is scoped per subject: another customer may use the same key for their own order.
    const other = await customerToken(newCustomer('idem-other'));
    const theirs = await placeOrder(other, body, { key });
    expect(theirs.status).toBe(202);
    expect(theirs.json?.orderId).not.toBe(first.json?.orderId);
  });

  it('same key with another body: 422 BLW_IDEMPOTENCY_KEY_REUSED, and no second order', async () => {
    const sku = newSku('reuse');
    await restock(sku, 10, 100);
    const token = await customerToken(newCustomer('reuse'));
    const key = randomUUID();
    const first = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key });
    expect(first.status).toBe(202);
    const other = await placeOrder(token, orderBody([{ sku, quantity: 2 }]), { key });
    expect({ status: other.status, code: errorCode(other) }).toEqual({ status: 422, code: 'BLW_IDEMPOTENCY_KEY_REUSED' });
    await waitForFinal(token, first.json?.orderId as string);
    await sleep(1000);
    expect((await listOrders(token)).json?.items.map((o) => o.orderId)).toEqual([first.json?.orderId]);
  });

  it('same key while the first request is still in flight: 409 BLW_IDEMPOTENCY_IN_FLIGHT with Retry-After 1, one order only', async () => {
    // apps/ingress completes the key's record as soon as Kafka acknowledged the command (a
    // `Prefer: wait` that follows does not keep it in flight), so the window is the first
    // request's own work: its store writes and the acks=all publish. Identical requests
    // released together overlap in it: one of them takes the key and the others must get 409
    // (or, if they arrive after it completed, the replay). Rounds repeat with fresh keys until
    // an overlap happened; every round must leave exactly one order.
    const sku = newSku('flight');
    await restock(sku, 100, 100);
    const token = await customerToken(newCustomer('flight'));
    const body = orderBody([{ sku, quantity: 1 }]);
    const rounds: string[] = [];
    const orderIds: string[] = [];
    let conflicts = 0;
    for (let round = 0; round < 10 && conflicts === 0; round++) {
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 4 }, () => placeOrder(token, body, { key })));
      const fresh = answers.filter((a) => a.status === 202 && a.headers.get('idempotent-replayed') !== 'true');
      const replays = answers.filter((a) => a.status === 202 && a.headers.get('idempotent-replayed') === 'true');
      const inFlight = answers.filter((a) => a.status === 409);
      rounds.push(answers.map((a) => `${a.status}${a.headers.get('idempotent-replayed') === 'true' ? 'r' : ''}`).join(','));
      expect(fresh.length).toBe(1);
      expect(fresh.length + replays.length + inFlight.length).toBe(answers.length);
      for (const r of replays) expect(r.json).toEqual(fresh[0]?.json);
      for (const c of inFlight) {
        expect(errorCode(c)).toBe('BLW_IDEMPOTENCY_IN_FLIGHT');
        expect(c.headers.get('retry-after')).toBe('1');
        expect(c.json).toMatchObject({ error: { retriable: true } });
      }
      conflicts += inFlight.length;
      orderIds.push(fresh[0]?.json?.orderId as string);
      // Once the first has answered, the same key replays it.
      const after = await placeOrder(token, body, { key });
      expect(after.status).toBe(202);
      expect(after.headers.get('idempotent-replayed')).toBe('true');
      expect(after.json).toEqual(fresh[0]?.json);
    }
    console.log(`concurrent rounds (status per request, r = replayed): ${rounds.join(' | ')}`);
    expect(conflicts).toBeGreaterThan(0);
    for (const id of orderIds) await waitForFinal(token, id);
    const listed = (await listOrders(token)).json?.items.map((o) => o.orderId) ?? [];
    expect(listed.sort()).toEqual([...orderIds].sort());
  });

  it('missing or invalid Idempotency-Key: 400 BLW_IDEMPOTENCY_KEY_MISSING / 400, nothing placed', async () => {
    const sku = newSku('nokey');
    await restock(sku, 10, 100);
    const token = await customerToken(newCustomer('nokey'));
    const missing = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key: null });
    expect({ status: missing.status, code: errorCode(missing) }).toEqual({ status: 400, code: 'BLW_IDEMPOTENCY_KEY_MISSING' });
    const tooLong = await placeOrder(token, orderBody([{ sku, quantity: 1 }]), { key: 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
    await sleep(1000);
    expect((await listOrders(token)).json?.items).toEqual([]);
  });
});

describe('POST /api/orders bad input: status, error code, and nothing reaches orders.commands', () => {
  it('answers each bad request with its status and code, and the end offsets of orders.commands do not move', async () => {
    const sku = newSku('bad');
    const customer = newCustomer('bad');
    const token = await customerToken(customer);
    const good = orderBody([{ sku, quantity: 1 }]);
    const post = (rawBody: string, contentType = 'application/json') =>
      call('POST', '/api/orders', {
        token,
        rawBody,
        headers: { 'content-type': contentType, 'idempotency-key': randomUUID() },
      });
    const before = await endOffsets('orders.commands');

    const malformed = await post('{"lines": [');
    expect({ status: malformed.status, code: errorCode(malformed) }).toEqual({ status: 400, code: 'BLW_MALFORMED_JSON' });

    const oversize = await post(JSON.stringify({ ...good, padding: 'x'.repeat(17 * 1024) }));
    expect({ status: oversize.status, code: errorCode(oversize) }).toEqual({ status: 413, code: 'BLW_PAYLOAD_TOO_LARGE' });

    const textPlain = await post(JSON.stringify(good), 'text/plain');
    expect({ status: textPlain.status, code: errorCode(textPlain) }).toEqual({ status: 415, code: 'BLW_UNSUPPORTED_MEDIA_TYPE' });

    const invalid = await post(JSON.stringify({ lines: [{ sku: 'bad sku', quantity: 0 }], payment: { cardNumber: '4242-abc' } }));
    expect({ status: invalid.status, code: errorCode(invalid) }).toEqual({ status: 400, code: 'BLW_VALIDATION_FAILED' });
    const fields = (invalid.json as { error: { details?: { fields?: { path: string; code: string; message: string }[] } } }).error
      .details?.fields;
    console.log(`validation fields: ${JSON.stringify(fields)}`);
    expect(fields?.map((f) => f.path).sort()).toEqual(['lines.0.quantity', 'lines.0.sku', 'payment.cardNumber']);
    for (const f of fields ?? [])
      expect(f).toEqual({ path: expect.any(String), code: expect.any(String), message: expect.any(String) });

    const unknownField = await post(JSON.stringify({ ...good, coupon: 'FREE' }));
    expect({ status: unknownField.status, code: errorCode(unknownField) }).toEqual({
      status: 400,
      code: 'BLW_VALIDATION_FAILED',
    });
    expect(unknownField.text).toContain('coupon');
    const unknownPaths = (unknownField.json as { error: { details?: { fields?: { path: string }[] } } }).error.details?.fields;
    expect(unknownPaths?.map((f) => f.path)).toContain('coupon');

    const nested = await post(
      JSON.stringify({ lines: [{ sku, quantity: 1, gift: true }], payment: { cardNumber: '4242424242424242' } }),
    );
    expect(nested.status).toBe(400);
    expect(
      (nested.json as { error: { details?: { fields?: { path: string }[] } } }).error.details?.fields?.map((f) => f.path),
    ).toContain('lines.0.gift');

    for (const res of [malformed, oversize, textPlain, invalid, unknownField, nested]) {
      expect((res.json as { error: { retriable: boolean; message: string } }).error).toMatchObject({
        retriable: false,
        message: expect.any(String),
      });
    }

    await sleep(500);
    const after = await endOffsets('orders.commands');
    const ours = await placeOrderCommandsOf(customer, before);
    console.log(
      `orders.commands end offsets: ${sumOffsets(before)} -> ${sumOffsets(after)}; commands of this customer: ${ours.length}`,
    );
    expect(ours).toEqual([]);
    expect(sumOffsets(after)).toBe(sumOffsets(before));
  });
});

describe('authentication and authorisation', () => {
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('a method a path does not serve: 405 BLW_METHOD_NOT_ALLOWED with Allow; an unknown path stays 404', async () => {
    const token = await customerToken(`edge-${randomUUID().slice(0, 8)}`);
    const answers = {
      'DELETE /api/orders': await call('DELETE', '/api/orders', { token }),
      'PATCH /api/orders/{id}': await call('PATCH', `/api/orders/${randomUUID()}`, { token, body: {} }),
      'DELETE /api/inventory/{sku}': await call('DELETE', '/api/inventory/SKU-1', { token }),
    };
    for (const res of Object.values(answers)) {
      expect(res.status).toBe(405);
      expect(errorCode(res)).toBe('BLW_METHOD_NOT_ALLOWED');
    }
    expect(answers['DELETE /api/orders'].headers.get('allow')).toBe('GET, HEAD, POST');
    expect(answers['PATCH /api/orders/{id}'].headers.get('allow')).toBe('GET, HEAD');
    expect(answers['DELETE /api/inventory/{sku}'].headers.get('allow')).toBe('GET, HEAD, PUT');
    expect((await call('DELETE', '/api/no-such-thing', { token })).status).toBe(404);
  });

  it('missing, garbage, wrongly signed, tampered, alg=none and expired tokens: 401 BLW_UNAUTHENTICATED with WWW-Authenticate', async () => {
    const real = await customerToken(newCustomer('auth'));
    const [header, payload] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);

    const wrongKey = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('mallory')
      .setIssuer('bulwark')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(randomBytes(32));
    const tampered = `${header}.${base64url({ ...claims, role: 'admin' })}.${real.split('.')[2]}`;
    const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: now + 3600 })}.`;
    const tokens: Record<string, string | null> = {
      missing: null,
      garbage: 'not-a-jwt',
      'three garbage parts': 'abc.def.ghi',
      'wrong key': wrongKey,
      'tampered payload (role admin, original signature)': tampered,
      'alg none': algNone,
    };
    // The local stack signs with the documented development key (ADR 0005, apps/ingress) unless JWT_SECRET is set.
    const devKey = new TextEncoder().encode(process.env.JWT_SECRET ?? DEV_JWT_SECRET);
    const signed = (claims: Record<string, unknown>, sub: string, iat: number, exp: number, issuer = 'bulwark') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(devKey);
    tokens.expired = await signed({ role: 'customer' }, 'expired-user', now - 7200, now - 3600);
    tokens['wrong issuer'] = await signed({ role: 'customer' }, 'expired-user', now, now + 3600, 'someone-else');
    tokens['unknown role'] = await signed({ role: 'root' }, 'expired-user', now, now + 3600);
    // The same key and claims, valid: proves each of the above fails for its one defect.
    const fresh = await signed({ role: 'customer' }, 'expired-user', now, now + 3600);
    expect((await call('GET', '/api/orders', { token: fresh })).status).toBe(200);

    for (const [label, token] of Object.entries(tokens)) {
      for (const [method, path] of [
        ['GET', '/api/orders'],
        ['POST', '/api/orders'],
        ['GET', `/api/inventory/${newSku('auth')}`],
      ] as const) {
        const res = await call(method, path, {
          token: token ?? undefined,
          body: method === 'POST' ? orderBody([{ sku: 'X', quantity: 1 }]) : undefined,
          headers: method === 'POST' ? { 'idempotency-key': randomUUID() } : {},
        });
        expect({ label, method, path, status: res.status, code: errorCode(res) }).toEqual({
          label,
          method,
          path,
          status: 401,
          code: 'BLW_UNAUTHENTICATED',
        });
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
    }
    // The untampered token works.
    expect((await call('GET', '/api/orders', { token: real })).status).toBe(200);
  });

  it("another customer's order is 404 for reading and cancelling; inventory writes are admin-only", async () => {
    const sku = newSku('owner');
    await restock(sku, 5, 100);
    const alice = await customerToken(newCustomer('alice'));
    const bob = await customerToken(newCustomer('bob'));
    const order = await placeAndSettle(alice, orderBody([{ sku, quantity: 1 }]));

    const read = await getOrder(bob, order.orderId);
    expect({ status: read.status, code: errorCode(read) }).toEqual({ status: 404, code: 'BLW_ORDER_NOT_FOUND' });
    const unknown = await getOrder(bob, randomUUID());
    expect({ status: unknown.status, code: errorCode(unknown) }).toEqual({ status: 404, code: 'BLW_ORDER_NOT_FOUND' });
    // Same answer for "someone else's" and "does not exist": no existence leak.
    expect(read.json).toEqual(unknown.json);
    const cancel = await call('POST', `/api/orders/${order.orderId}/cancel`, { token: bob, body: {} });
    expect({ status: cancel.status, code: errorCode(cancel) }).toEqual({ status: 404, code: 'BLW_ORDER_NOT_FOUND' });
    expect((await listOrders(bob)).json?.items).toEqual([]);

    const forbidden = await call('PUT', `/api/inventory/${sku}`, { token: alice, body: { available: 999, priceCents: 1 } });
    expect({ status: forbidden.status, code: errorCode(forbidden) }).toEqual({ status: 403, code: 'BLW_FORBIDDEN' });
    const admin = await adminToken();
    const allowed = await call('PUT', `/api/inventory/${sku}`, { token: admin, body: { available: 7, priceCents: 150 } });
    expect(allowed.status).toBe(202);
    expect(allowed.json).toMatchObject({ sku, commandId: expect.any(String) });
    await restock(sku, 7, 150); // the level shows (and the customer's 999 never did)
    expect((await call('GET', `/api/inventory/${sku}`, { token: alice })).json).toMatchObject({ available: 7, priceCents: 150 });
    const badRestock = await call('PUT', `/api/inventory/${sku}`, { token: admin, body: { available: -1, priceCents: 1 } });
    expect({ status: badRestock.status, code: errorCode(badRestock) }).toEqual({ status: 400, code: 'BLW_VALIDATION_FAILED' });
  });

  it('a flood with one token gets 429 BLW_RATE_LIMITED with Retry-After, within the documented budget; other subjects are unaffected', async () => {
    const token = await customerToken(newCustomer('flood'));
    const bystander = await customerToken(newCustomer('bystander'));
    const results: { status: number; retryAfter: string | null; code: string }[] = [];
    const started = Date.now();
    let next = 0;
    const total = 600;
    const worker = async () => {
      while (next < total) {
        next++;
        // An id that is not a UUID: 404 without a store read, so the flood outruns the refill
        // (a read from FerretDB costs more than the limiter lets through per second).
        const res = await call('GET', `/api/orders/not-an-order-${next}`, { token });
        results.push({ status: res.status, retryAfter: res.headers.get('retry-after'), code: errorCode(res) });
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    const seconds = (Date.now() - started) / 1000;
    const limited = results.filter((r) => r.status === 429);
    const served = results.filter((r) => r.status !== 429);
    // Budget: burst 120 per replica plus 40/s per replica, two replicas behind HAProxy.
    const budget = 2 * 120 + 2 * 40 * seconds;
    console.log(
      `${total} requests in ${seconds.toFixed(2)} s: ${served.length} served, ${limited.length} rate-limited (budget ~${Math.round(budget)})`,
    );
    expect(limited.length).toBeGreaterThan(0);
    expect(served.every((r) => r.status === 404)).toBe(true);
    for (const r of limited) {
      expect(r.code).toBe('BLW_RATE_LIMITED');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(served.length).toBeGreaterThanOrEqual(120);
    expect(served.length).toBeLessThanOrEqual(Math.ceil(budget) + 10);

    // Per subject: someone else is served at once.
    expect((await call('GET', '/api/orders', { token: bystander })).status).toBe(200);
    // And the bucket refills.
    await sleep(4000);
    expect((await call('GET', '/api/orders', { token })).status).toBe(200);
  });
});

describe('API documentation', () => {
  const normalise = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

  it('GET /api/docs/openapi.json is OpenAPI 3.1 and documents every route of the API table', async () => {
    const res = await call<{ openapi: string; paths: Record<string, Record<string, unknown>>; info: { title: string } }>(
      'GET',
      '/api/docs/openapi.json',
    );
    expect(res.status).toBe(200);
    expect(res.json?.openapi).toMatch(/^3\.1\./);
    const documented = new Set(
      Object.entries(res.json?.paths ?? {}).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
          .map((m) => `${m.toUpperCase()} ${normalise(path)}`),
      ),
    );
    console.log(`documented: ${[...documented].sort().join(', ')}`);
    const table = [
      'POST /api/orders',
      'POST /api/orders/{}/cancel',
      'GET /api/orders/{}',
      'GET /api/orders',
      'GET /api/orders/{}/events',
      'PUT /api/inventory/{}',
      'GET /api/inventory/{}',
      'POST /api/dev/tokens',
    ];
    expect(table.filter((r) => !documented.has(r))).toEqual([]);
    const post = (
      res.json?.paths['/api/orders'] as Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>
    )?.post;
    // The request body's schema, inline or by reference to components.schemas.
    const doc = res.json as unknown as { components?: { schemas?: Record<string, unknown> } };
    const bodySchema = JSON.stringify(post?.requestBody).replace(
      /"\$ref":"#\/components\/schemas\/([^"]+)"/g,
      (_m, name: string) => JSON.stringify(doc.components?.schemas?.[name] ?? null),
    );
    expect(bodySchema).toContain('cardNumber');
    expect(bodySchema).toContain('lines');
    console.log(`POST /api/orders documents responses ${Object.keys(post?.responses ?? {}).join(', ')}`);
    expect(Object.keys(post?.responses ?? {})).toContain('202');
  });

  it('GET /api/docs answers HTML (Swagger UI)', async () => {
    const res = await fetch(`${process.env.BULWARK_API_URL ?? 'http://127.0.0.1:8080'}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await res.text()).toLowerCase()).toContain('<html');
  });
});
