import { OrdersErrors } from '../domain/order-errors';
import { CUSTOMER, ORDER_ID, dataOf, given, msg } from '../../test/support/saga-messages';

const A = { sku: 'SKU-A', quantity: 2 };
const B = { sku: 'SKU-B', quantity: 1 };
/** Placed, both lines reserved (2 x 500 + 1 x 1000 = 2000 cents), payment requested. */
const awaitingPayment = () => [msg.placeOrder([A, B]), msg.stockReserved('SKU-A', 2, 500), msg.stockReserved('SKU-B', 1, 1000)];

describe('recordPaymentAnswer', () => {
  it('given an order AWAITING_PAYMENT, when payment is authorized, then it is CONFIRMED', () => {
    const outcome = given(...awaitingPayment()).when(msg.paymentAuthorized(2000));
    expect(outcome.sent).toEqual([`orders.events OrderConfirmed ${ORDER_ID}`]);
    expect(dataOf(outcome, 'OrderConfirmed')).toEqual({
      orderId: ORDER_ID,
      customerId: CUSTOMER,
      amountCents: 2000,
      authorizationId: `auth-${ORDER_ID}`,
    });
    expect(outcome.state).toMatchObject({ status: 'CONFIRMED', authorizationId: `auth-${ORDER_ID}` });
  });

  it('given an order AWAITING_PAYMENT, when payment is declined, then it is REJECTED and every reserved line is released', () => {
    const outcome = given(...awaitingPayment()).when(msg.paymentDeclined('CARD_DECLINED', 'card ending 0002 declined'));
    expect(outcome.sent).toEqual([
      `orders.events OrderRejected ${ORDER_ID}`,
      'inventory.commands ReleaseStock SKU-A',
      'inventory.commands ReleaseStock SKU-B',
    ]);
    expect(dataOf(outcome, 'OrderRejected')).toEqual({
      orderId: ORDER_ID,
      customerId: CUSTOMER,
      reason: 'PAYMENT_DECLINED',
      detail: 'CARD_DECLINED: card ending 0002 declined',
    });
    expect(outcome.state).toMatchObject({ status: 'REJECTED', reason: 'PAYMENT_DECLINED' });
  });

  it('a repeated PaymentAuthorized changes nothing (no second OrderConfirmed)', () => {
    expect(given(...awaitingPayment(), msg.paymentAuthorized(2000)).when(msg.paymentAuthorized(2000)).decision).toBeNull();
  });

  it('a repeated PaymentDeclined changes nothing (no second release)', () => {
    expect(given(...awaitingPayment(), msg.paymentDeclined()).when(msg.paymentDeclined()).decision).toBeNull();
  });

  it('given a cancelled order, when its payment is authorized after all, then the authorization is voided (every time)', () => {
    const cancelled = [...awaitingPayment(), msg.cancelOrder()];
    const first = given(...cancelled).when(msg.paymentAuthorized(2000));
    expect(first.sent).toEqual([`payments.commands VoidPayment ${ORDER_ID}`]);
    expect(first.state).toMatchObject({ status: 'CANCELLED', authorizationId: `auth-${ORDER_ID}` });
    const again = given(...cancelled, msg.paymentAuthorized(2000)).when(msg.paymentAuthorized(2000));
    expect(again.sent).toEqual([`payments.commands VoidPayment ${ORDER_ID}`]);
    expect(again.state?.status).toBe('CANCELLED');
  });

  it('given a cancelled order, when its payment is declined, then nothing changes (stock already released)', () => {
    expect(given(...awaitingPayment(), msg.cancelOrder()).when(msg.paymentDeclined()).decision).toBeNull();
  });

  it('a declined answer after the order was confirmed changes nothing', () => {
    expect(given(...awaitingPayment(), msg.paymentAuthorized(2000)).when(msg.paymentDeclined()).decision).toBeNull();
  });

  it('PaymentVoided is recorded once', () => {
    const cancelled = [...awaitingPayment(), msg.cancelOrder(), msg.paymentAuthorized(2000)];
    const voided = given(...cancelled).when(msg.paymentVoided(2000));
    expect(voided.sent).toEqual([]);
    expect(voided.state).toMatchObject({ status: 'CANCELLED', paymentVoided: true });
    expect(given(...cancelled, msg.paymentVoided(2000)).when(msg.paymentVoided(2000)).decision).toBeNull();
  });

  it('an answer for an order that never requested payment fails permanently', () => {
    expect(() => given(msg.placeOrder([A])).when(msg.paymentAuthorized(1000))).toThrow(
      expect.objectContaining({ code: OrdersErrors.paymentNotRequested, retriable: false }),
    );
  });

  it('an answer for an unknown order fails permanently', () => {
    expect(() => given().when(msg.paymentDeclined())).toThrow(
      expect.objectContaining({ code: OrdersErrors.orderNotFound, retriable: false }),
    );
  });
});
