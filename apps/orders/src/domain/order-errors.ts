import type { Envelope } from '@bulwark/contracts';
import { PermanentError } from '@bulwark/messaging';

/**
 * Stable codes of the messages orders cannot apply. Each means a message the saga itself
 * never produces (a wrong key, an answer for an order or line that does not exist, a forged
 * cancellation), so retrying cannot help: the pipeline dead-letters it with this code.
 * The saga's own unhappy paths (out of stock, declined, too late to cancel) are events, never errors.
 */
export const OrdersErrors = {
  /** The Kafka key is not the order id: the message may be on another replica's partition. */
  keyMismatch: 'ORDERS_KEY_MISMATCH',
  /** A PlaceOrder for an existing order id with other contents. */
  orderIdConflict: 'ORDERS_ORDER_ID_CONFLICT',
  orderNotFound: 'ORDERS_ORDER_NOT_FOUND',
  /** A CancelOrder from someone who does not own the order. */
  notOwner: 'ORDERS_NOT_OWNER',
  /** A stock answer for a SKU the order does not contain. */
  lineNotFound: 'ORDERS_LINE_NOT_FOUND',
  /** A payment answer for an order that never requested payment. */
  paymentNotRequested: 'ORDERS_PAYMENT_NOT_REQUESTED',
} as const;

/**
 * Orders has one writer per order because every topic it reads is keyed by the order id (the
 * co-partitioned group, ADR 0005). A message keyed otherwise would be applied by whichever
 * replica owns that other key's partition, concurrently with the order's owner.
 */
export function requireKeyedByOrder(message: Envelope<string, { readonly orderId: string }>): void {
  if (message.key !== message.data.orderId) {
    throw new PermanentError(
      OrdersErrors.keyMismatch,
      `${message.type} ${message.id} is keyed ${message.key} but is about order ${message.data.orderId}`,
    );
  }
}
