import { OrdersEvents, PaymentsCommands, cents, type EnvelopeOf, type InventoryEvents } from '@bulwark/contracts';
import { PermanentError, type Decision } from '@bulwark/messaging';
import { causedEvents, type CausedEvents } from '../domain/caused-events';
import { releaseHeldStock, releaseLine } from '../domain/compensation';
import { OrdersErrors, requireKeyedByOrder } from '../domain/order-errors';
import { amountOf, lineOf, withLine, type OrderLineState, type OrderState } from '../domain/order-state';

export type StockAnswer = EnvelopeOf<typeof InventoryEvents>;
type Answer<T extends StockAnswer['type']> = Extract<StockAnswer, { type: T }>;

/**
 * ADR 0005 step 3: records inventory's answer for one line. Only a line's first answer counts
 * (a repeated answer changes nothing). While the order is PENDING, the last reservation moves
 * it to AWAITING_PAYMENT and asks payments; the first rejection rejects it and releases every
 * line already reserved. Stock reserved for an order that is already final is released at once.
 */
export function recordStockAnswer(order: OrderState | null, answer: StockAnswer): Decision<OrderState> | null {
  requireKeyedByOrder(answer);
  if (!order) {
    throw new PermanentError(OrdersErrors.orderNotFound, `${answer.type} ${answer.id}: no order ${answer.data.orderId}`);
  }
  const line = lineOf(order, answer.data.sku);
  if (!line) {
    throw new PermanentError(
      OrdersErrors.lineNotFound,
      `${answer.type} ${answer.id}: order ${order.orderId} has no line for ${answer.data.sku}`,
    );
  }
  switch (answer.type) {
    case 'StockReserved':
      return stockReserved(order, line, answer);
    case 'StockRejected':
      return stockRejected(order, line, answer);
    case 'StockReleased':
      return line.released ? null : { state: withLine(order, line.sku, { released: true }), events: [] };
  }
}

function stockReserved(order: OrderState, line: OrderLineState, answer: Answer<'StockReserved'>): Decision<OrderState> | null {
  const out = causedEvents(answer);
  if (line.answer === 'RESERVED') return null; // a repeated answer
  if (line.answer === 'REJECTED') {
    // Inventory now holds stock for a line it had rejected (its answers contradict each
    // other, e.g. a ReserveStock applied twice around a restock): give it back, once.
    if (line.releaseRequested) return null;
    releaseLine(order, line, out);
    return { state: withLine(order, line.sku, { releaseRequested: true }), events: out.entries };
  }
  const reserved = withLine(order, line.sku, { answer: 'RESERVED', unitPriceCents: answer.data.unitPriceCents });
  if (order.status !== 'PENDING') {
    // Too late: the order was rejected or cancelled while this reservation was on its way.
    return { state: releaseHeldStock(reserved, out), events: out.entries };
  }
  if (reserved.lines.some((l) => l.answer !== 'RESERVED')) return { state: reserved, events: [] };
  return requestPayment(reserved, out);
}

function requestPayment(order: OrderState, out: CausedEvents): Decision<OrderState> {
  const amountCents = amountOf(order.lines);
  const { orderId, customerId, cardNumber } = order;
  if (cardNumber === null) throw new Error(`order ${orderId} is PENDING without a card number`); // invariant
  if (!cents.safeParse(amountCents).success) {
    // More than any payment message can carry (quantity x price over every line): no
    // authorizer would accept it, so the order is declined here instead of sending a
    // command that cannot be built.
    const detail = `LIMIT_EXCEEDED: ${amountCents} cents is more than a payment can carry`;
    out.emit(OrdersEvents, 'OrderRejected', orderId, { orderId, customerId, reason: 'PAYMENT_DECLINED', detail });
    const released = releaseHeldStock(order, out);
    return {
      state: { ...released, status: 'REJECTED', reason: 'PAYMENT_DECLINED', detail, cardNumber: null },
      events: out.entries,
    };
  }
  out.emit(OrdersEvents, 'OrderAwaitingPayment', orderId, { orderId, customerId, amountCents });
  out.emit(PaymentsCommands, 'AuthorizePayment', orderId, { orderId, customerId, amountCents, cardNumber });
  return {
    state: { ...order, status: 'AWAITING_PAYMENT', amountCents, paymentRequested: true, cardNumber: null },
    events: out.entries,
  };
}

function stockRejected(order: OrderState, line: OrderLineState, answer: Answer<'StockRejected'>): Decision<OrderState> | null {
  if (line.answer !== 'AWAITING') return null;
  const { reason, requested, available, sku } = answer.data;
  const rejected = withLine(order, sku, { answer: 'REJECTED', rejection: { reason, requested, available } });
  // Only the first rejection decides the order; later ones are recorded on their line.
  if (order.status !== 'PENDING') return { state: rejected, events: [] };
  const out = causedEvents(answer);
  const detail =
    reason === 'UNKNOWN_SKU'
      ? `${sku}: unknown SKU (requested ${requested})`
      : `${sku}: requested ${requested}, available ${available}`;
  const { orderId, customerId } = order;
  out.emit(OrdersEvents, 'OrderRejected', orderId, { orderId, customerId, reason, detail });
  const released = releaseHeldStock(rejected, out);
  return { state: { ...released, status: 'REJECTED', reason, detail, cardNumber: null }, events: out.entries };
}
