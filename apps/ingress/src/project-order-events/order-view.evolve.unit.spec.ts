import { OrdersEvents, OrderView } from '@bulwark/contracts';
import { newEnvelope } from '@bulwark/messaging';
import type { OrderViewDocument } from '../orders/order-view-document';
import { toOrderView } from '../orders/order-view-document';
import { evolveOrderView, type OrdersEvent } from './order-view.evolve';

const orderId = '6f1c2b8e-0d7a-4a57-9a39-6c0c8b7d2a11';
const customerId = 'alice';
const M = OrdersEvents.messages;
let n = 0;
/** An event as orders would publish it: its id and time are fixed, like the derived ones. */
function event(type: keyof typeof M, data: Record<string, unknown>, id = `e-${++n}`): OrdersEvent {
  const at = new Date(Date.parse('2026-01-01T00:00:00.000Z') + n * 1000);
  return newEnvelope(M[type], orderId, { orderId, customerId, ...data } as never, null, {
    id: () => id,
    now: () => at,
  }) as OrdersEvent;
}

const fold = (events: OrdersEvent[], start: OrderViewDocument | null = null) =>
  events.reduce<OrderViewDocument | null>((doc, e) => evolveOrderView(doc, e) ?? doc, start);

describe('evolveOrderView (order_views projection)', () => {
  beforeEach(() => (n = 0));
  const placed = () => event('OrderPlaced', { lines: [{ sku: 'WIDGET-1', quantity: 2 }], placedAt: '2026-01-01T01:00:00+01:00' });

  it('given OrderPlaced, then a PENDING order with its lines, placedAt normalised to UTC', () => {
    const doc = fold([placed()])!;
    expect(doc).toMatchObject({
      _id: orderId,
      orderId,
      customerId,
      status: 'PENDING',
      lines: [{ sku: 'WIDGET-1', quantity: 2 }],
      placedAt: '2026-01-01T00:00:00.000Z',
      history: [{ status: 'PENDING', at: '2026-01-01T00:00:00.000Z' }],
      version: 1,
      appliedEventIds: ['e-1'],
    });
    expect(OrderView.safeParse(toOrderView(doc)).success).toBe(true);
  });

  it('given the happy path, then CONFIRMED with the amount and the whole history, times from the events', () => {
    const doc = fold([
      placed(),
      event('OrderAwaitingPayment', { amountCents: 2500 }),
      event('OrderConfirmed', { amountCents: 2500, authorizationId: `auth-${orderId}` }),
    ])!;
    expect(doc.status).toBe('CONFIRMED');
    expect(doc.amountCents).toBe(2500);
    expect(doc.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    expect(doc.updatedAt).toBe('2026-01-01T00:00:03.000Z');
    expect(doc.version).toBe(3);
  });

  it('given a rejection, then the reason and detail on the order and on its history entry', () => {
    const doc = fold([
      placed(),
      event('OrderRejected', { reason: 'OUT_OF_STOCK', detail: 'WIDGET-1: requested 2, available 1' }),
    ])!;
    expect(doc).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK', detail: 'WIDGET-1: requested 2, available 1' });
    expect(doc.history[1]).toEqual({
      status: 'REJECTED',
      at: doc.updatedAt,
      reason: 'OUT_OF_STOCK',
      detail: 'WIDGET-1: requested 2, available 1',
    });
  });

  it('given a redelivered event (same id), then nothing changes', () => {
    const first = placed();
    const doc = fold([first])!;
    expect(evolveOrderView(doc, first)).toBeNull();
  });

  it('given a final order, then a late status event is counted but does not move it; a refused cancel changes only the version', () => {
    const cancelled = fold([placed(), event('OrderCancelled', { reason: 'changed my mind' })])!;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', detail: 'changed my mind' });
    const after = fold(
      [
        event('OrderConfirmed', { amountCents: 1, authorizationId: 'x' }),
        event('OrderCancellationRefused', { status: 'CANCELLED' }),
      ],
      cancelled,
    )!;
    expect(after.status).toBe('CANCELLED');
    expect(after.history).toEqual(cancelled.history);
    expect(after.amountCents).toBeUndefined();
    expect(after.version).toBe(4);
  });

  it('replays into byte-identical documents (nothing comes from the clock)', () => {
    const events = [
      placed(),
      event('OrderAwaitingPayment', { amountCents: 10 }),
      event('OrderRejected', { reason: 'PAYMENT_DECLINED', detail: 'card declined' }),
    ];
    const once = JSON.stringify(fold(events));
    const again = JSON.stringify(fold([...events, ...events]));
    expect(again).toBe(once);
  });

  it('given a status event before OrderPlaced (never expected), then OrderPlaced later fills the lines without moving the status back', () => {
    const doc = fold([event('OrderAwaitingPayment', { amountCents: 10 }), placed()])!;
    expect(doc.status).toBe('AWAITING_PAYMENT');
    expect(doc.lines).toEqual([{ sku: 'WIDGET-1', quantity: 2 }]);
    expect(doc.history.map((h) => h.status)).toEqual(['AWAITING_PAYMENT']);
  });
});
