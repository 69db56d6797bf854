import { randomUUID } from 'node:crypto';
import { startIngress, type Ingress } from '../../test/support/ingress-harness';

const lines = [{ sku: 'WIDGET-1', quantity: 1 }];

/** Reads an SSE response to its end (the server closes after a final status), with a deadline. */
async function readStream(res: Response, timeoutMs = 4000): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(deadline);
  }
}

const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.includes('event: status'))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return { id: field('id'), status: (JSON.parse(field('data')!) as { status: string }).status };
    });

describe('GET /api/orders/{id}/events (Server-Sent Events)', () => {
  let ingress: Ingress;
  let alice: string;
  beforeAll(async () => {
    ingress = await startIngress();
    alice = await ingress.token('alice');
  }, 30_000);
  afterAll(() => ingress.close());

  const newOrder = async () => {
    const orderId = randomUUID();
    await ingress.projectOrder(orderId, 'alice', 'OrderPlaced', { lines, placedAt: '2026-01-01T00:00:00.000Z' });
    return orderId;
  };

  it('streams each status as it happens and closes after the final one; ?access_token= is accepted here', async () => {
    const orderId = await newOrder();
    const res = await ingress.request(`/api/orders/${orderId}/events?access_token=${alice}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    const body = readStream(res);
    await new Promise((r) => setTimeout(r, 300));
    await ingress.projectOrder(orderId, 'alice', 'OrderAwaitingPayment', { amountCents: 100 });
    await new Promise((r) => setTimeout(r, 300));
    await ingress.projectOrder(orderId, 'alice', 'OrderConfirmed', { amountCents: 100, authorizationId: `auth-${orderId}` });
    const text = await body;
    expect(text.startsWith('retry: ')).toBe(true);
    expect(events(text)).toEqual([
      { id: '0', status: 'PENDING' },
      { id: '1', status: 'AWAITING_PAYMENT' },
      { id: '2', status: 'CONFIRMED' },
    ]);
  });

  it("opens at once for an order accepted a moment ago, and sends only the projection's history (event i = history[i])", async () => {
    const accepted = await ingress.request('/api/orders', {
      method: 'POST',
      token: alice,
      json: { lines, payment: { cardNumber: '4111111111111111' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    const { orderId } = (await accepted.json()) as { orderId: string };
    const res = await ingress.request(`/api/orders/${orderId}/events`, { token: alice });
    expect(res.status).toBe(200);
    const body = readStream(res);
    await new Promise((r) => setTimeout(r, 400));
    await ingress.projectOrder(orderId, 'alice', 'OrderPlaced', { lines, placedAt: '2026-01-01T00:00:00.000Z' });
    await ingress.projectOrder(orderId, 'alice', 'OrderRejected', {
      reason: 'OUT_OF_STOCK',
      detail: 'WIDGET-1: requested 1, available 0',
    });
    const text = await body;
    const view = (await (await ingress.request(`/api/orders/${orderId}`, { token: alice })).json()) as { history: unknown[] };
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as unknown);
    expect(data).toEqual(view.history);
  });

  it('resumes after Last-Event-ID, and answers 204 once the client has the final status (EventSource stops)', async () => {
    const orderId = await newOrder();
    await ingress.projectOrder(orderId, 'alice', 'OrderRejected', { reason: 'UNKNOWN_SKU', detail: 'WIDGET-1 is not sold here' });
    const resumed = await ingress.request(`/api/orders/${orderId}/events`, { token: alice, headers: { 'last-event-id': '0' } });
    expect(events(await readStream(resumed))).toEqual([{ id: '1', status: 'REJECTED' }]);
    const finished = await ingress.request(`/api/orders/${orderId}/events`, { token: alice, headers: { 'last-event-id': '1' } });
    expect(finished.status).toBe(204);
  });

  it("answers 404 (JSON) for someone else's order and 401 without a token", async () => {
    const orderId = await newOrder();
    const foreign = await ingress.request(`/api/orders/${orderId}/events?access_token=${await ingress.token('mallory')}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'BLW_ORDER_NOT_FOUND' } });
    const anonymous = await ingress.request(`/api/orders/${orderId}/events`);
    expect(anonymous.status).toBe(401);
  });

  it('stops serving a stream the client closed', async () => {
    const { SseConnections } = await import('./sse-connections');
    const connections = ingress.app.get(SseConnections);
    const orderId = await newOrder();
    const controller = new AbortController();
    const res = await ingress.request(`/api/orders/${orderId}/events`, { token: alice, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(connections.size).toBe(1);
    controller.abort();
    for (let i = 0; i < 50 && connections.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(connections.size).toBe(0);
  });
});
