import { startIngress, type Ingress } from '../../test/support/ingress-harness';

describe('API access: tokens, dev tokens, limits, docs and page', () => {
  let ingress: Ingress;
  beforeAll(async () => {
    ingress = await startIngress();
  }, 30_000);
  afterAll(() => ingress.close());

  it('answers 401 BLW_UNAUTHENTICATED with WWW-Authenticate: Bearer for a missing, malformed, foreign or expired token', async () => {
    const { signToken } = await import('./jwt');
    const expired = (
      await signToken(
        ingress.config.JWT_SECRET,
        { sub: 'alice', role: 'customer' },
        { ttlSeconds: 1, now: () => new Date(Date.now() - 60_000) },
      )
    ).token;
    const foreign = (await signToken('x'.repeat(40), { sub: 'alice', role: 'customer' })).token;
    for (const authorization of [undefined, 'Basic YWxpY2U6cHc=', 'Bearer', `Bearer ${expired}`, `Bearer ${foreign}`]) {
      const res = await ingress.request('/api/orders', { headers: authorization ? { authorization } : {} });
      expect({ authorization, status: res.status, challenge: res.headers.get('www-authenticate') }).toEqual({
        authorization,
        status: 401,
        challenge: 'Bearer',
      });
      expect(await res.json()).toMatchObject({ error: { code: 'BLW_UNAUTHENTICATED', retriable: false } });
    }
  });

  it('accepts ?access_token= only on the event stream', async () => {
    const res = await ingress.request(`/api/orders?access_token=${await ingress.token('qt')}`);
    expect(res.status).toBe(401);
  });

  it('issues development tokens that the API accepts: POST /api/dev/tokens', async () => {
    const res = await ingress.request('/api/dev/tokens', { method: 'POST', json: { role: 'customer', sub: 'webuser' } });
    expect(res.status).toBe(200);
    const issued = (await res.json()) as { token: string; sub: string; role: string; expiresAt: string };
    expect(issued).toMatchObject({ sub: 'webuser', role: 'customer' });
    const hours = (Date.parse(issued.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    expect((await ingress.request('/api/orders', { token: issued.token })).status).toBe(200);

    const bad = await ingress.request('/api/dev/tokens', { method: 'POST', json: { role: 'root', sub: 'a b' } });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { details: { fields: { path: string }[] } } }).error.details.fields
        .map((f) => f.path)
        .sort(),
    ).toEqual(['role', 'sub']);
  });

  it('answers 413 over 16 KiB, 415 for non-JSON, 400 BLW_MALFORMED_JSON for broken JSON', async () => {
    const token = await ingress.token('bodies');
    const headers = { 'idempotency-key': 'k' };
    const big = await ingress.request('/api/orders', { method: 'POST', token, headers, json: { pad: 'x'.repeat(17 * 1024) } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'BLW_PAYLOAD_TOO_LARGE' } });
    const text = await ingress.request('/api/orders', {
      method: 'POST',
      token,
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: { code: 'BLW_UNSUPPORTED_MEDIA_TYPE' } });
    const broken = await ingress.request('/api/orders', {
      method: 'POST',
      token,
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"lines":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'BLW_MALFORMED_JSON' } });
  });

  it('serves Swagger UI from swagger-ui-dist and the web page, unauthenticated', async () => {
    const ui = await ingress.request('/api/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('/api/docs/swagger-ui-bundle.js');
    const bundle = await ingress.request('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await ingress.request('/api/docs/package.json')).status).toBe(404);

    const page = await ingress.request('/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    for (const id of [
      'customer',
      'get-token',
      'sku',
      'quantity',
      'card',
      'place-order',
      'order-status',
      'order-reason',
      'orders-list',
      'error',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect((await ingress.request('/app.js')).status).toBe(200);
    expect((await ingress.request('/app.css')).status).toBe(200);
  });
});

describe('rate limit (token bucket per subject, else per client address)', () => {
  let ingress: Ingress;
  beforeAll(async () => {
    ingress = await startIngress({ RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_SECOND: '1' });
  }, 30_000);
  afterAll(() => ingress.close());

  it('limits each subject to its bucket: 429 BLW_RATE_LIMITED with Retry-After, other subjects unaffected', async () => {
    const greedy = await ingress.token('greedy');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await ingress.request('/api/orders', { token: greedy })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await ingress.request('/api/orders', { token: greedy });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: 'BLW_RATE_LIMITED', retriable: true } });
    expect((await ingress.request('/api/orders', { token: await ingress.token('modest') })).status).toBe(200);
  });

  it('never limits health, metrics, docs or the wire diagnostics', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await ingress.request('/health/live')).status).toBe(200);
      expect((await ingress.request('/api/docs/openapi.json')).status).toBe(200);
    }
    expect((await ingress.request('/metrics')).status).toBe(200);
    // The chaos tests drive /api/wire/pings in tight loops: it is diagnostics, not the public API.
    for (let i = 0; i < 8; i++) {
      expect((await ingress.request('/api/wire/pings', { method: 'POST', json: { text: `ping ${i}` } })).status).toBe(202);
    }
  });

  it('limits unauthenticated callers per address, so bad tokens cannot be tried at will', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await ingress.request('/api/orders', { token: 'garbage' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('POST /api/dev/tokens without DEV_TOKENS', () => {
  it('does not exist (404)', async () => {
    const ingress = await startIngress({ DEV_TOKENS: 'false' });
    try {
      const res = await ingress.request('/api/dev/tokens', { method: 'POST', json: { role: 'admin', sub: 'eve' } });
      expect(res.status).toBe(404);
    } finally {
      await ingress.close();
    }
  }, 30_000);
});
