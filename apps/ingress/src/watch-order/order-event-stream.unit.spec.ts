import type { OrderView } from '@bulwark/contracts';
import { OrderEventStream } from './order-event-stream';

const view = (statuses: OrderView['status'][]): OrderView => ({
  orderId: '6f1c2b8e-0d7a-4a57-9a39-6c0c8b7d2a11',
  customerId: 'alice',
  status: statuses.at(-1)!,
  lines: [{ sku: 'A', quantity: 1 }],
  placedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history: statuses.map((status, i) => ({ status, at: `2026-01-01T00:00:0${i}.000Z` })),
});

/** Lets the stream's awaited lookup settle between fake timer steps. */
const settle = () => new Promise<void>((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

describe('OrderEventStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function harness(views: (OrderView | null | Error)[], lastEventId = -1) {
    const written: string[] = [];
    let ended = 0;
    let lookups = 0;
    const stream = new OrderEventStream(
      {
        lookup: async () => {
          const next = views[Math.min(lookups++, views.length - 1)];
          if (next instanceof Error) throw next;
          return next ?? null;
        },
        write: (chunk) => written.push(chunk),
        end: () => ended++,
        pollMs: 250,
        heartbeatMs: 15_000,
      },
      lastEventId,
    );
    return { stream, written, ended: () => ended, lookups: () => lookups };
  }

  const ids = (written: string[]) => written.filter((w) => w.startsWith('id: ')).map((w) => w.split('\n')[0]);

  it('sends retry first, then each new entry once as it appears, and ends after the final one', async () => {
    const h = harness([
      view(['PENDING']),
      view(['PENDING']),
      view(['PENDING', 'AWAITING_PAYMENT']),
      view(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']),
    ]);
    h.stream.start();
    await settle();
    expect(h.written[0]).toBe('retry: 2000\n\n');
    expect(ids(h.written)).toEqual(['id: 0']);
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(250);
      await settle();
    }
    expect(ids(h.written)).toEqual(['id: 0', 'id: 1', 'id: 2']);
    expect(h.ended()).toBe(1);
    expect(h.stream.isClosed).toBe(true);
    const lookups = h.lookups();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.lookups()).toBe(lookups); // nothing polls after the end
  });

  it('resumes after Last-Event-ID', async () => {
    const h = harness([view(['PENDING', 'AWAITING_PAYMENT', 'REJECTED'])], 0);
    h.stream.start();
    await settle();
    expect(ids(h.written)).toEqual(['id: 1', 'id: 2']);
    expect(h.ended()).toBe(1);
  });

  it('sends a heartbeat comment every 15 s while nothing happens', async () => {
    const h = harness([view(['PENDING'])]);
    h.stream.start();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(h.written.filter((w) => w.startsWith(':'))).toHaveLength(2);
    h.stream.close();
  });

  it('stops polling and writing as soon as it is closed (the client went away)', async () => {
    const h = harness([view(['PENDING'])]);
    h.stream.start();
    await settle();
    h.stream.close();
    h.stream.close();
    const lookups = h.lookups();
    const written = h.written.length;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.lookups()).toBe(lookups);
    expect(h.written).toHaveLength(written);
    expect(h.ended()).toBe(1);
  });

  it('keeps the stream through a failed read, and ends it when the order is gone', async () => {
    const h = harness([new Error('store down'), view(['PENDING']), null]);
    h.stream.start();
    await settle();
    expect(h.stream.isClosed).toBe(false);
    await jest.advanceTimersByTimeAsync(250);
    await settle();
    expect(ids(h.written)).toEqual(['id: 0']);
    await jest.advanceTimersByTimeAsync(250);
    await settle();
    expect(h.ended()).toBe(1);
  });
});
