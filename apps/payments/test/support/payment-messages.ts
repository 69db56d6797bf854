import { PaymentsCommands, type DataOf, type Envelope, type MessageDeclaration } from '@bulwark/contracts';
import { newEnvelope, type Decision } from '@bulwark/messaging';
import { authorizePayment, type AuthorizePayment } from '../../src/authorize-payment/authorize-payment.decide';
import type { PaymentState } from '../../src/domain/payment-state';
import { voidPayment, type VoidPayment } from '../../src/void-payment/void-payment.decide';

/** Payments' commands with fixed ids and times, and a `given(...).when()` fold over its decide functions. */
export const ORDER_ID = '33333333-3333-4333-8333-333333333333';
export const GOOD_CARD = '4242424242424242';
export const DECLINING_CARD = '4000000000000002';
export const AT = '2026-12-03T10:00:00.000Z';

export interface Overrides {
  readonly id?: string;
  readonly key?: string;
}

let counter = 0;

function build<M extends MessageDeclaration>(declaration: M, key: string, data: DataOf<M>, o: Overrides) {
  const id = o.id ?? `${declaration.type}-${++counter}`;
  return newEnvelope(
    declaration,
    o.key ?? key,
    data,
    { correlationId: 'corr-1', causationId: 'cause-1' },
    {
      id: () => id,
      now: () => new Date(AT),
    },
  );
}

export const cmd = {
  authorize: (amountCents: number, cardNumber = GOOD_CARD, o: Overrides = {}): AuthorizePayment =>
    build(
      PaymentsCommands.messages.AuthorizePayment,
      ORDER_ID,
      { orderId: ORDER_ID, customerId: 'alice', amountCents, cardNumber },
      o,
    ),
  void: (o: Overrides = {}): VoidPayment => build(PaymentsCommands.messages.VoidPayment, ORDER_ID, { orderId: ORDER_ID }, o),
};

export function decide(payment: PaymentState | null, command: Envelope): Decision<PaymentState> | null {
  return command.type === 'AuthorizePayment'
    ? authorizePayment(payment, command as AuthorizePayment)
    : voidPayment(payment, command as VoidPayment);
}

export function given(...history: Envelope[]) {
  let state: PaymentState | null = null;
  for (const command of history) state = decide(state, command)?.state ?? state;
  return {
    state,
    when(command: Envelope) {
      const decision = decide(state, command);
      const events = decision?.events ?? [];
      return {
        state: decision?.state ?? state,
        decision,
        sent: events.map((e) => `${e.topic} ${e.envelope.type} ${e.envelope.key}`),
        data: events.map((e) => e.envelope.data),
      };
    },
  };
}
