import { PaymentsErrors } from '../domain/payments-errors';
import { DECLINING_CARD, ORDER_ID, cmd, given } from '../../test/support/payment-messages';

describe('voidPayment', () => {
  it('given an authorization, when voided, then PaymentVoided is announced with the amount', () => {
    const outcome = given(cmd.authorize(2500)).when(cmd.void());
    expect(outcome.sent).toEqual([`payments.events PaymentVoided ${ORDER_ID}`]);
    expect(outcome.data).toEqual([{ orderId: ORDER_ID, amountCents: 2500 }]);
    expect(outcome.state?.voided).toBe(true);
  });

  it('voids once: a second VoidPayment changes nothing and says nothing', () => {
    expect(given(cmd.authorize(2500), cmd.void()).when(cmd.void()).decision).toBeNull();
  });

  it('given a declined payment, when voided, then there is nothing to void', () => {
    expect(given(cmd.authorize(2500, DECLINING_CARD)).when(cmd.void()).decision).toBeNull();
  });

  it('given a voided authorization, when authorization is asked again, then the first answer is repeated and it stays voided', () => {
    const outcome = given(cmd.authorize(2500), cmd.void()).when(cmd.authorize(2500));
    expect(outcome.sent).toEqual([`payments.events PaymentAuthorized ${ORDER_ID}`]);
    expect(outcome.state?.voided).toBe(true);
  });

  it('given no payment, when voided, then it fails permanently (orders always asks to authorize first)', () => {
    expect(() => given().when(cmd.void())).toThrow(
      expect.objectContaining({ code: PaymentsErrors.paymentNotFound, retriable: false }),
    );
  });

  it('refuses a command keyed by something other than its order id', () => {
    expect(() => given(cmd.authorize(1)).when(cmd.void({ key: 'x' }))).toThrow(
      expect.objectContaining({ code: PaymentsErrors.keyMismatch }),
    );
  });
});
