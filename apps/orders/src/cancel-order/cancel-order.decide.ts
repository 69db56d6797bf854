import { OrdersEvents, type DataOf, type Envelope, type OrdersCommands } from '@bulwark/contracts';
import { PermanentError, type Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { releaseHeldStock, voidPayment } from '../domain/compensation';
import { OrdersErrors, requireKeyedByOrder } from '../domain/order-errors';
import { isFinal, type OrderState } from '../domain/order-state';

export type CancelOrder = Envelope<'CancelOrder', DataOf<typeof OrdersCommands.messages.CancelOrder>>;

/**
 * ADR 0005 step 6: an order still PENDING or AWAITING_PAYMENT is CANCELLED; the stock it holds
 * is released and, if payment was requested, whatever payments decided is voided. A final
 * order refuses (OrderCancellationRefused) and nothing changes. The ingress only sends a
 * cancellation for an order the caller owns, so an unknown order or another owner is a
 * message the flow never produces: a permanent error.
 */
export function cancelOrder(order: OrderState | null, command: CancelOrder): Decision<OrderState> {
  requireKeyedByOrder(command);
  const { orderId, customerId, reason } = command.data;
  if (!order) throw new PermanentError(OrdersErrors.orderNotFound, `CancelOrder ${command.id}: no order ${orderId}`);
  if (order.customerId !== customerId) {
    throw new PermanentError(OrdersErrors.notOwner, `CancelOrder ${command.id}: order ${orderId} is not ${customerId}'s`);
  }
  const out = causedEvents(command);
  if (isFinal(order.status)) {
    out.emit(OrdersEvents, 'OrderCancellationRefused', orderId, { orderId, customerId, status: order.status });
    return { state: order, events: out.entries };
  }
  out.emit(OrdersEvents, 'OrderCancelled', orderId, { orderId, customerId, reason });
  const released = releaseHeldStock(order, out);
  if (order.paymentRequested) voidPayment(order, out);
  return {
    state: { ...released, status: 'CANCELLED', cancelReason: reason, cardNumber: null },
    events: out.entries,
  };
}
