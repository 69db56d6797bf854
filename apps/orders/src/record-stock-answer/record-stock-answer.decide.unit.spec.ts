import { OrdersErrors } from '../domain/order-errors';
import { CUSTOMER, GOOD_CARD, ORDER_ID, dataOf, given, msg } from '../../test/support/saga-messages';

const A = { sku: 'SKU-A', quantity: 2 };
const B = { sku: 'SKU-B', quantity: 1 };
const C = { sku: 'SKU-C', quantity: 3 };

describe('recordStockAnswer', () => {
  describe('every line reserved', () => {
    it('moves the order to AWAITING_PAYMENT and asks payments for quantity x reserved price', () => {
      const outcome = given(msg.placeOrder([A, B]), msg.stockReserved('SKU-A', 2, 450)).when(msg.stockReserved('SKU-B', 1, 1000));
      expect(outcome.sent).toEqual([
        `orders.events OrderAwaitingPayment ${ORDER_ID}`,
        `payments.commands AuthorizePayment ${ORDER_ID}`,
      ]);
      expect(dataOf(outcome, 'OrderAwaitingPayment')).toEqual({ orderId: ORDER_ID, customerId: CUSTOMER, amountCents: 1900 });
      expect(dataOf(outcome, 'AuthorizePayment')).toEqual({
        orderId: ORDER_ID,
        customerId: CUSTOMER,
        amountCents: 1900,
        cardNumber: GOOD_CARD,
      });
      expect(outcome.state).toMatchObject({
        status: 'AWAITING_PAYMENT',
        amountCents: 1900,
        paymentRequested: true,
        cardNumber: null, // not kept once payments has it
      });
      expect(outcome.state?.lines.map((l) => [l.sku, l.answer, l.unitPriceCents])).toEqual([
        ['SKU-A', 'RESERVED', 450],
        ['SKU-B', 'RESERVED', 1000],
      ]);
    });

    it('waits, silently, while some line has no answer yet', () => {
      const outcome = given(msg.placeOrder([A, B])).when(msg.stockReserved('SKU-A', 2, 450));
      expect(outcome.sent).toEqual([]);
      expect(outcome.state?.status).toBe('PENDING');
      expect(outcome.state?.lines[0]).toMatchObject({ answer: 'RESERVED', unitPriceCents: 450 });
    });

    it('rejects (PAYMENT_DECLINED) and releases everything when the amount is more than a payment can carry', () => {
      const big = { sku: 'SKU-A', quantity: 1000 };
      const outcome = given(msg.placeOrder([big])).when(msg.stockReserved('SKU-A', 1000, 100_000_000));
      expect(outcome.sent).toEqual([`orders.events OrderRejected ${ORDER_ID}`, 'inventory.commands ReleaseStock SKU-A']);
      expect(outcome.state).toMatchObject({ status: 'REJECTED', reason: 'PAYMENT_DECLINED', paymentRequested: false });
      expect(outcome.state?.detail).toMatch(/^LIMIT_EXCEEDED: /);
    });
  });

  describe('a line rejected', () => {
    it('out of stock: rejects the order with the SKU and the numbers', () => {
      const outcome = given(msg.placeOrder([A])).when(msg.stockRejected('SKU-A', 2, 1, 'OUT_OF_STOCK'));
      expect(outcome.sent).toEqual([`orders.events OrderRejected ${ORDER_ID}`]);
      expect(dataOf(outcome, 'OrderRejected')).toEqual({
        orderId: ORDER_ID,
        customerId: CUSTOMER,
        reason: 'OUT_OF_STOCK',
        detail: 'SKU-A: requested 2, available 1',
      });
      expect(outcome.state).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK', cardNumber: null });
      expect(outcome.state?.lines[0]).toMatchObject({
        answer: 'REJECTED',
        rejection: { reason: 'OUT_OF_STOCK', requested: 2, available: 1 },
      });
    });

    it('unknown SKU: rejects the order with UNKNOWN_SKU', () => {
      const outcome = given(msg.placeOrder([A])).when(msg.stockRejected('SKU-A', 2, 0, 'UNKNOWN_SKU'));
      expect(dataOf(outcome, 'OrderRejected')).toMatchObject({
        reason: 'UNKNOWN_SKU',
        detail: 'SKU-A: unknown SKU (requested 2)',
      });
      expect(outcome.state?.reason).toBe('UNKNOWN_SKU');
    });

    it('multi-line, one line fails after the others were reserved: releases every reserved line', () => {
      const outcome = given(
        msg.placeOrder([A, B, C]),
        msg.stockReserved('SKU-A', 2, 100),
        msg.stockReserved('SKU-C', 3, 100),
      ).when(msg.stockRejected('SKU-B', 1, 0));
      expect(outcome.sent).toEqual([
        `orders.events OrderRejected ${ORDER_ID}`,
        'inventory.commands ReleaseStock SKU-A',
        'inventory.commands ReleaseStock SKU-C',
      ]);
      expect(outcome.state?.status).toBe('REJECTED');
    });

    it('multi-line, a line reserved after another was rejected: that late reservation is released at once', () => {
      const outcome = given(msg.placeOrder([A, B]), msg.stockRejected('SKU-B', 1, 0)).when(msg.stockReserved('SKU-A', 2, 100));
      expect(outcome.sent).toEqual(['inventory.commands ReleaseStock SKU-A']);
      expect(outcome.state).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
      expect(outcome.state?.lines[0]).toMatchObject({ answer: 'RESERVED', releaseRequested: true });
    });

    it('multi-line, two lines rejected: the first rejection decides, the second is only recorded', () => {
      const outcome = given(msg.placeOrder([A, B]), msg.stockRejected('SKU-B', 1, 0, 'UNKNOWN_SKU')).when(
        msg.stockRejected('SKU-A', 2, 1, 'OUT_OF_STOCK'),
      );
      expect(outcome.sent).toEqual([]);
      expect(outcome.state).toMatchObject({
        status: 'REJECTED',
        reason: 'UNKNOWN_SKU',
        detail: 'SKU-B: unknown SKU (requested 1)',
      });
      expect(outcome.state?.lines[0]).toMatchObject({ answer: 'REJECTED' });
    });
  });

  describe('repeated and contradicting answers', () => {
    it('a repeated StockReserved changes nothing (no second transition, no second payment request)', () => {
      const history = [msg.placeOrder([A]), msg.stockReserved('SKU-A', 2, 100)];
      expect(given(...history).when(msg.stockReserved('SKU-A', 2, 100)).decision).toBeNull();
    });

    it('a repeated StockRejected changes nothing', () => {
      const history = [msg.placeOrder([A]), msg.stockRejected('SKU-A', 2, 0)];
      expect(given(...history).when(msg.stockRejected('SKU-A', 2, 0)).decision).toBeNull();
    });

    it('a StockRejected for a line already reserved changes nothing', () => {
      const history = [msg.placeOrder([A, B]), msg.stockReserved('SKU-A', 2, 100)];
      expect(given(...history).when(msg.stockRejected('SKU-A', 2, 0)).decision).toBeNull();
    });

    it('a StockReserved for a line inventory had rejected gives the stock back, once', () => {
      const history = [msg.placeOrder([A]), msg.stockRejected('SKU-A', 2, 0)];
      const first = given(...history).when(msg.stockReserved('SKU-A', 2, 100));
      expect(first.sent).toEqual(['inventory.commands ReleaseStock SKU-A']);
      expect(first.state?.lines[0]).toMatchObject({ answer: 'REJECTED', releaseRequested: true });
      const again = given(...history, msg.stockReserved('SKU-A', 2, 100)).when(msg.stockReserved('SKU-A', 2, 100));
      expect(again.decision).toBeNull();
    });

    it('a late reservation for a final order is released only once, however often it is repeated', () => {
      const history = [msg.placeOrder([A, B]), msg.stockRejected('SKU-B', 1, 0), msg.stockReserved('SKU-A', 2, 100)];
      expect(given(...history).when(msg.stockReserved('SKU-A', 2, 100)).decision).toBeNull();
    });
  });

  describe('StockReleased', () => {
    it('records that inventory gave the line back; a repeat changes nothing', () => {
      const history = [msg.placeOrder([A, B]), msg.stockReserved('SKU-A', 2, 100), msg.stockRejected('SKU-B', 1, 0)];
      const released = given(...history).when(msg.stockReleased('SKU-A', 2));
      expect(released.sent).toEqual([]);
      expect(released.state?.lines[0]).toMatchObject({ releaseRequested: true, released: true });
      expect(given(...history, msg.stockReleased('SKU-A', 2)).when(msg.stockReleased('SKU-A', 2)).decision).toBeNull();
    });
  });

  describe('messages the saga never produces', () => {
    it('an answer for an unknown order fails permanently', () => {
      expect(() => given().when(msg.stockReserved('SKU-A', 2, 100))).toThrow(
        expect.objectContaining({ code: OrdersErrors.orderNotFound, retriable: false }),
      );
    });

    it('an answer for a SKU the order does not contain fails permanently', () => {
      expect(() => given(msg.placeOrder([A])).when(msg.stockReserved('SKU-Z', 2, 100))).toThrow(
        expect.objectContaining({ code: OrdersErrors.lineNotFound, retriable: false }),
      );
    });

    it('an answer keyed by the SKU instead of the order id fails permanently', () => {
      expect(() => given(msg.placeOrder([A])).when(msg.stockReserved('SKU-A', 2, 100, { key: 'SKU-A' }))).toThrow(
        expect.objectContaining({ code: OrdersErrors.keyMismatch }),
      );
    });
  });
});
