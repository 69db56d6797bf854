import { OrdersErrors } from '../domain/order-errors';
import { CUSTOMER, ORDER_ID, given, msg } from '../../test/support/saga-messages';

const lines = [
  { sku: 'SKU-A', quantity: 2 },
  { sku: 'SKU-B', quantity: 1 },
];
const placed = () => msg.placeOrder(lines);
const allReserved = () => [placed(), msg.stockReserved('SKU-A', 2, 500), msg.stockReserved('SKU-B', 1, 1000)];

describe('cancelOrder', () => {
  it('given a PENDING order with one line reserved, when cancelled, then it releases that line only and voids nothing', () => {
    const outcome = given(placed(), msg.stockReserved('SKU-A', 2, 500)).when(msg.cancelOrder({ reason: 'too slow' }));
    expect(outcome.sent).toEqual([`orders.events OrderCancelled ${ORDER_ID}`, 'inventory.commands ReleaseStock SKU-A']);
    expect(outcome.envelopes[0]?.data).toEqual({ orderId: ORDER_ID, customerId: CUSTOMER, reason: 'too slow' });
    expect(outcome.envelopes[1]?.data).toEqual({ orderId: ORDER_ID, sku: 'SKU-A' });
    expect(outcome.state).toMatchObject({ status: 'CANCELLED', cancelReason: 'too slow', cardNumber: null });
    expect(outcome.state?.lines.map((l) => [l.sku, l.answer, l.releaseRequested])).toEqual([
      ['SKU-A', 'RESERVED', true],
      ['SKU-B', 'AWAITING', false],
    ]);
  });

  it('given a cancelled order, when the line still awaiting is reserved after all, then that stock is released at once', () => {
    const outcome = given(placed(), msg.stockReserved('SKU-A', 2, 500), msg.cancelOrder()).when(
      msg.stockReserved('SKU-B', 1, 1000),
    );
    expect(outcome.sent).toEqual(['inventory.commands ReleaseStock SKU-B']);
    expect(outcome.state?.status).toBe('CANCELLED');
  });

  it('given an order AWAITING_PAYMENT, when cancelled, then it releases every line and voids the payment', () => {
    const outcome = given(...allReserved()).when(msg.cancelOrder());
    expect(outcome.sent).toEqual([
      `orders.events OrderCancelled ${ORDER_ID}`,
      'inventory.commands ReleaseStock SKU-A',
      'inventory.commands ReleaseStock SKU-B',
      `payments.commands VoidPayment ${ORDER_ID}`,
    ]);
    expect(outcome.state?.status).toBe('CANCELLED');
    expect(outcome.state?.lines.every((l) => l.releaseRequested)).toBe(true);
  });

  it.each([
    ['CONFIRMED', [...allReserved(), msg.paymentAuthorized(2000)]],
    ['REJECTED', [placed(), msg.stockRejected('SKU-A', 2, 0)]],
    ['CANCELLED', [placed(), msg.cancelOrder()]],
  ])('given a %s order, when cancelled, then the cancellation is refused and nothing changes', (status, history) => {
    const before = given(...history).state;
    const outcome = given(...history).when(msg.cancelOrder());
    expect(outcome.sent).toEqual([`orders.events OrderCancellationRefused ${ORDER_ID}`]);
    expect(outcome.envelopes[0]?.data).toEqual({ orderId: ORDER_ID, customerId: CUSTOMER, status });
    expect(outcome.state).toEqual(before);
  });

  it('given no order, when a cancellation arrives, then it fails permanently with a code', () => {
    expect(() => given().when(msg.cancelOrder())).toThrow(
      expect.objectContaining({ code: OrdersErrors.orderNotFound, retriable: false }),
    );
  });

  it("given someone else's order, when they cancel it, then it fails permanently and the order is untouched", () => {
    expect(() => given(placed()).when(msg.cancelOrder({ customerId: 'mallory' }))).toThrow(
      expect.objectContaining({ code: OrdersErrors.notOwner, retriable: false }),
    );
  });

  it('refuses a cancellation keyed by something other than its order id', () => {
    expect(() => given(placed()).when(msg.cancelOrder({ key: 'SKU-A' }))).toThrow(
      expect.objectContaining({ code: OrdersErrors.keyMismatch }),
    );
  });
});
