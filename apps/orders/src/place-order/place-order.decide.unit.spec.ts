import { OrdersErrors } from '../domain/order-errors';
import { AT, CUSTOMER, GOOD_CARD, ORDER_ID, given, msg } from '../../test/support/saga-messages';
import { placeOrder } from './place-order.decide';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const twoLines = [
  { sku: 'SKU-A', quantity: 2 },
  { sku: 'SKU-B', quantity: 1 },
];

describe('placeOrder', () => {
  it('given no order, when it is placed, then it is PENDING, announced, and each line is asked of inventory by SKU', () => {
    const placed = msg.placeOrder(twoLines, { id: 'place-1' });
    const outcome = given().when(placed);

    expect(outcome.sent).toEqual([
      `orders.events OrderPlaced ${ORDER_ID}`,
      'inventory.commands ReserveStock SKU-A',
      'inventory.commands ReserveStock SKU-B',
    ]);
    expect(outcome.envelopes.map((e) => e.data)).toEqual([
      { orderId: ORDER_ID, customerId: CUSTOMER, lines: twoLines, placedAt: AT },
      { orderId: ORDER_ID, sku: 'SKU-A', quantity: 2 },
      { orderId: ORDER_ID, sku: 'SKU-B', quantity: 1 },
    ]);
    expect(outcome.state).toMatchObject({
      orderId: ORDER_ID,
      customerId: CUSTOMER,
      status: 'PENDING',
      placedAt: AT,
      cardNumber: GOOD_CARD,
      paymentRequested: false,
      amountCents: null,
      reason: null,
    });
    expect(outcome.state?.lines).toEqual([
      {
        sku: 'SKU-A',
        quantity: 2,
        answer: 'AWAITING',
        unitPriceCents: null,
        rejection: null,
        releaseRequested: false,
        released: false,
      },
      {
        sku: 'SKU-B',
        quantity: 1,
        answer: 'AWAITING',
        unitPriceCents: null,
        rejection: null,
        releaseRequested: false,
        released: false,
      },
    ]);
  });

  it('makes every emitted message caused by the command and part of its correlation, at its time', () => {
    const placed = msg.placeOrder(twoLines, { id: 'place-1' });
    for (const envelope of given().when(placed).envelopes) {
      expect(envelope).toMatchObject({ causationId: 'place-1', correlationId: placed.correlationId, occurredAt: AT });
    }
  });

  it('derives every id from the command and the position, so a replay emits byte-identical messages', () => {
    const a = placeOrder(null, msg.placeOrder(twoLines, { id: 'same' }));
    const b = placeOrder(null, msg.placeOrder(twoLines, { id: 'same' }));
    const c = placeOrder(null, msg.placeOrder(twoLines, { id: 'other' }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const ids = a?.events.map((e) => e.envelope.id) ?? [];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(UUID_V5);
    expect(c?.events.map((e) => e.envelope.id)).not.toEqual(expect.arrayContaining([ids[0]]));
  });

  it('given the order, when the same order is placed again by another message, then nothing changes', () => {
    expect(given(msg.placeOrder(twoLines)).when(msg.placeOrder(twoLines)).decision).toBeNull();
  });

  it('given the order, when another order is placed under its id, then it fails permanently with a code', () => {
    const other = msg.placeOrder([{ sku: 'SKU-A', quantity: 3 }]);
    expect(() => given(msg.placeOrder(twoLines)).when(other)).toThrow(
      expect.objectContaining({ code: OrdersErrors.orderIdConflict, retriable: false }),
    );
    const otherCustomer = msg.placeOrder(twoLines, { customerId: 'mallory' });
    expect(() => given(msg.placeOrder(twoLines)).when(otherCustomer)).toThrow(
      expect.objectContaining({ code: OrdersErrors.orderIdConflict }),
    );
  });

  it('refuses a command keyed by something other than its order id (it would bypass the single writer)', () => {
    expect(() => given().when(msg.placeOrder(twoLines, { key: 'not-the-order' }))).toThrow(
      expect.objectContaining({ code: OrdersErrors.keyMismatch, retriable: false }),
    );
  });
});
