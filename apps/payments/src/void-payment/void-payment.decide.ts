import { PaymentsEvents, type DataOf, type Envelope, type PaymentsCommands } from '@bulwark/contracts';
import { PermanentError, type Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import type { PaymentState } from '../domain/payment-state';
import { PaymentsErrors, requireKeyedByOrder } from '../domain/payments-errors';

export type VoidPayment = Envelope<'VoidPayment', DataOf<typeof PaymentsCommands.messages.VoidPayment>>;

/**
 * ADR 0005 step 6: the order was cancelled after it asked for payment. An authorization is
 * voided once (PaymentVoided); voiding it again, or voiding a declined payment (nothing was
 * authorized), changes nothing and says nothing.
 */
export function voidPayment(payment: PaymentState | null, command: VoidPayment): Decision<PaymentState> | null {
  requireKeyedByOrder(command);
  const { orderId } = command.data;
  if (!payment) {
    throw new PermanentError(PaymentsErrors.paymentNotFound, `VoidPayment ${command.id}: no payment for order ${orderId}`);
  }
  if (payment.outcome.status !== 'AUTHORIZED' || payment.voided) return null;
  const out = causedEvents(command);
  out.emit(PaymentsEvents, 'PaymentVoided', orderId, { orderId, amountCents: payment.amountCents });
  return { state: { ...payment, voided: true }, events: out.entries };
}
