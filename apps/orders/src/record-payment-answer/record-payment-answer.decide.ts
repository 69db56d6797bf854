import { OrdersEvents, type EnvelopeOf, type PaymentsEvents } from '@bulwark/contracts';
import { PermanentError, type Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { releaseHeldStock, voidPayment } from '../domain/compensation';
import { OrdersErrors, requireKeyedByOrder } from '../domain/order-errors';
import type { OrderState } from '../domain/order-state';

export type PaymentAnswer = EnvelopeOf<typeof PaymentsEvents>;
type Answer<T extends PaymentAnswer['type']> = Extract<PaymentAnswer, { type: T }>;

/**
 * ADR 0005 step 5: an order AWAITING_PAYMENT is CONFIRMED by PaymentAuthorized, or REJECTED
 * (PAYMENT_DECLINED) by PaymentDeclined, which releases every reserved line. An authorization
 * that arrives after the order was cancelled is voided (again: payments voids once). Any
 * other answer for a decided order is a repeat and changes nothing.
 */
export function recordPaymentAnswer(order: OrderState | null, answer: PaymentAnswer): Decision<OrderState> | null {
  requireKeyedByOrder(answer);
  const { orderId } = answer.data;
  if (!order) throw new PermanentError(OrdersErrors.orderNotFound, `${answer.type} ${answer.id}: no order ${orderId}`);
  if (!order.paymentRequested) {
    throw new PermanentError(
      OrdersErrors.paymentNotRequested,
      `${answer.type} ${answer.id}: order ${orderId} never requested payment (status ${order.status})`,
    );
  }
  switch (answer.type) {
    case 'PaymentAuthorized':
      return paymentAuthorized(order, answer);
    case 'PaymentDeclined':
      return paymentDeclined(order, answer);
    case 'PaymentVoided':
      return order.paymentVoided ? null : { state: { ...order, paymentVoided: true }, events: [] };
  }
}

function paymentAuthorized(order: OrderState, answer: Answer<'PaymentAuthorized'>): Decision<OrderState> | null {
  const { authorizationId } = answer.data;
  const { orderId, customerId } = order;
  if (order.status === 'AWAITING_PAYMENT') {
    const out = causedEvents(answer);
    const amountCents = order.amountCents ?? answer.data.amountCents;
    out.emit(OrdersEvents, 'OrderConfirmed', orderId, { orderId, customerId, amountCents, authorizationId });
    return { state: { ...order, status: 'CONFIRMED', authorizationId }, events: out.entries };
  }
  if (order.status === 'CONFIRMED') return null;
  // CANCELLED (or REJECTED) with an authorization: nobody will pay for it, so void it.
  const out = causedEvents(answer);
  voidPayment(order, out);
  return { state: { ...order, authorizationId }, events: out.entries };
}

function paymentDeclined(order: OrderState, answer: Answer<'PaymentDeclined'>): Decision<OrderState> | null {
  if (order.status !== 'AWAITING_PAYMENT') return null;
  const out = causedEvents(answer);
  const { orderId, customerId } = order;
  const detail = `${answer.data.reason}: ${answer.data.detail}`;
  out.emit(OrdersEvents, 'OrderRejected', orderId, { orderId, customerId, reason: 'PAYMENT_DECLINED', detail });
  const released = releaseHeldStock(order, out);
  return { state: { ...released, status: 'REJECTED', reason: 'PAYMENT_DECLINED', detail }, events: out.entries };
}
