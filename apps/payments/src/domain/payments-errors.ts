import type { Envelope } from '@bulwark/contracts';
import { PermanentError } from '@bulwark/messaging';

/** Stable codes of the commands payments cannot apply; a declined card is an answer, not one of them. */
export const PaymentsErrors = {
  /** The Kafka key is not the order id: another replica may be writing that payment. */
  keyMismatch: 'PAYMENTS_KEY_MISMATCH',
  /**
   * VoidPayment for an order payments never heard of. Orders publishes AuthorizePayment
   * before VoidPayment on the same partition (same key, one outbox, in order), so this is a
   * message the saga does not produce.
   */
  paymentNotFound: 'PAYMENTS_PAYMENT_NOT_FOUND',
} as const;

/** One writer per payment: payments.commands is keyed by the order id (ADR 0005). */
export function requireKeyedByOrder(command: Envelope<string, { readonly orderId: string }>): void {
  if (command.key !== command.data.orderId) {
    throw new PermanentError(
      PaymentsErrors.keyMismatch,
      `${command.type} ${command.id} is keyed ${command.key} but is about order ${command.data.orderId}`,
    );
  }
}
