import { PaymentsErrors } from '../domain/payments-errors';
import { AT, DECLINING_CARD, ORDER_ID, cmd, given } from '../../test/support/payment-messages';
import { authorizePayment, SIMULATOR } from './authorize-payment.decide';

describe('authorizePayment (the deterministic simulator)', () => {
  it('authorizes an ordinary card and amount as auth-<orderId>, answering on payments.events keyed by the order', () => {
    const outcome = given().when(cmd.authorize(2500));
    expect(outcome.sent).toEqual([`payments.events PaymentAuthorized ${ORDER_ID}`]);
    expect(outcome.data).toEqual([{ orderId: ORDER_ID, authorizationId: `auth-${ORDER_ID}`, amountCents: 2500 }]);
    expect(outcome.state).toEqual({
      orderId: ORDER_ID,
      customerId: 'alice',
      amountCents: 2500,
      cardLast4: '4242',
      outcome: { status: 'AUTHORIZED', authorizationId: `auth-${ORDER_ID}` },
      voided: false,
    });
  });

  it(`always declines card ${SIMULATOR.decliningCard} (CARD_DECLINED), whatever the amount`, () => {
    const outcome = given().when(cmd.authorize(1, DECLINING_CARD));
    expect(outcome.sent).toEqual([`payments.events PaymentDeclined ${ORDER_ID}`]);
    expect(outcome.data).toEqual([{ orderId: ORDER_ID, reason: 'CARD_DECLINED', detail: 'card ending 0002 was declined' }]);
  });

  it('declines an amount above 100000 cents (LIMIT_EXCEEDED) and authorizes exactly 100000', () => {
    expect(given().when(cmd.authorize(100_001)).data).toEqual([
      { orderId: ORDER_ID, reason: 'LIMIT_EXCEEDED', detail: '100001 cents is above the limit of 100000 cents' },
    ]);
    expect(given().when(cmd.authorize(100_000)).sent).toEqual([`payments.events PaymentAuthorized ${ORDER_ID}`]);
  });

  it('checks the card before the limit', () => {
    expect(given().when(cmd.authorize(500_000, DECLINING_CARD)).data).toEqual([
      expect.objectContaining({ reason: 'CARD_DECLINED' }),
    ]);
  });

  it('never keeps the card number, only its last four digits', () => {
    expect(JSON.stringify(given().when(cmd.authorize(100, DECLINING_CARD)).state)).not.toContain(DECLINING_CARD);
  });

  it('given a first decision, when asked again (even with other data), then it answers the first decision again', () => {
    const authorized = given(cmd.authorize(2500)).when(cmd.authorize(999_999, DECLINING_CARD));
    expect(authorized.data).toEqual([{ orderId: ORDER_ID, authorizationId: `auth-${ORDER_ID}`, amountCents: 2500 }]);
    const declined = given(cmd.authorize(2500, DECLINING_CARD)).when(cmd.authorize(2500));
    expect(declined.data).toEqual([expect.objectContaining({ reason: 'CARD_DECLINED' })]);
    expect(declined.state).toEqual(given(cmd.authorize(2500, DECLINING_CARD)).state);
  });

  it('derives its answer from the command, so a replay emits byte-identical messages', () => {
    const a = authorizePayment(null, cmd.authorize(10, undefined, { id: 'same' }));
    const b = authorizePayment(null, cmd.authorize(10, undefined, { id: 'same' }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.events[0]?.envelope).toMatchObject({ causationId: 'same', correlationId: 'corr-1', occurredAt: AT });
  });

  it('refuses a command keyed by something other than its order id', () => {
    expect(() => given().when(cmd.authorize(10, undefined, { key: 'someone-else' }))).toThrow(
      expect.objectContaining({ code: PaymentsErrors.keyMismatch, retriable: false }),
    );
  });
});
