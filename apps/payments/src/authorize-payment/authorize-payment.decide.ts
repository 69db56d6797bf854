import { PaymentsEvents, type DataOf, type Envelope, type PaymentsCommands } from '@bulwark/contracts';
import type { Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import type { PaymentOutcome, PaymentState } from '../domain/payment-state';
import { requireKeyedByOrder } from '../domain/payments-errors';

export type AuthorizePayment = Envelope<'AuthorizePayment', DataOf<typeof PaymentsCommands.messages.AuthorizePayment>>;

/** The simulator's rules (apps/payments/README.md). */
export const SIMULATOR = {
  /** This card is always declined (CARD_DECLINED). */
  decliningCard: '4000000000000002',
  /** Amounts above this many cents (1,000.00) are declined (LIMIT_EXCEEDED); this amount itself passes. */
  limitCents: 100_000,
} as const;

/** Deterministic: the same order, card and amount always get the same outcome. Card first, then limit. */
export function simulate(orderId: string, amountCents: number, cardNumber: string): PaymentOutcome {
  if (cardNumber === SIMULATOR.decliningCard) {
    return { status: 'DECLINED', reason: 'CARD_DECLINED', detail: `card ending ${cardNumber.slice(-4)} was declined` };
  }
  if (amountCents > SIMULATOR.limitCents) {
    return {
      status: 'DECLINED',
      reason: 'LIMIT_EXCEEDED',
      detail: `${amountCents} cents is above the limit of ${SIMULATOR.limitCents} cents`,
    };
  }
  return { status: 'AUTHORIZED', authorizationId: `auth-${orderId}` };
}

/**
 * ADR 0005 step 4: decides once per order and answers on payments.events (keyed by the order
 * id). A repeated AuthorizePayment answers the first decision again, whatever it carries:
 * the order already acted on the first answer, so a different one would contradict it.
 */
export function authorizePayment(payment: PaymentState | null, command: AuthorizePayment): Decision<PaymentState> {
  requireKeyedByOrder(command);
  const { orderId, customerId, amountCents, cardNumber } = command.data;
  const state: PaymentState = payment ?? {
    orderId,
    customerId,
    amountCents,
    cardLast4: cardNumber.slice(-4),
    outcome: simulate(orderId, amountCents, cardNumber),
    voided: false,
  };
  const out = causedEvents(command);
  const { outcome } = state;
  if (outcome.status === 'AUTHORIZED') {
    out.emit(PaymentsEvents, 'PaymentAuthorized', orderId, {
      orderId,
      authorizationId: outcome.authorizationId,
      amountCents: state.amountCents,
    });
  } else {
    out.emit(PaymentsEvents, 'PaymentDeclined', orderId, { orderId, reason: outcome.reason, detail: outcome.detail });
  }
  return { state, events: out.entries };
}
