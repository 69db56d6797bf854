import { InventoryCommands, OrdersEvents, type DataOf, type Envelope, type OrdersCommands } from '@bulwark/contracts';
import { PermanentError, type Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { OrdersErrors, requireKeyedByOrder } from '../domain/order-errors';
import type { OrderState } from '../domain/order-state';

export type PlaceOrder = Envelope<'PlaceOrder', DataOf<typeof OrdersCommands.messages.PlaceOrder>>;

/**
 * ADR 0005 step 1: a new order is PENDING; it announces itself (OrderPlaced) and asks
 * inventory for every line (ReserveStock, keyed by SKU so each SKU's reservations are serial).
 * The same order placed again by another message (a client retry that got past the ingress's
 * idempotency key) changes nothing; another order under a taken id is a permanent error.
 */
export function placeOrder(order: OrderState | null, command: PlaceOrder): Decision<OrderState> | null {
  requireKeyedByOrder(command);
  const { orderId, customerId, lines, payment } = command.data;
  if (order) {
    if (order.customerId === customerId && sameLines(order, command)) return null;
    throw new PermanentError(OrdersErrors.orderIdConflict, `order ${orderId} exists with other contents (${command.id})`);
  }
  const out = causedEvents(command);
  out.emit(OrdersEvents, 'OrderPlaced', orderId, { orderId, customerId, lines, placedAt: command.occurredAt });
  for (const line of lines) {
    out.emit(InventoryCommands, 'ReserveStock', line.sku, { orderId, sku: line.sku, quantity: line.quantity });
  }
  const state: OrderState = {
    orderId,
    customerId,
    status: 'PENDING',
    lines: lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      answer: 'AWAITING',
      unitPriceCents: null,
      rejection: null,
      releaseRequested: false,
      released: false,
    })),
    placedAt: command.occurredAt,
    cardNumber: payment.cardNumber,
    amountCents: null,
    reason: null,
    detail: null,
    cancelReason: null,
    paymentRequested: false,
    authorizationId: null,
    paymentVoided: false,
  };
  return { state, events: out.entries };
}

function sameLines(order: OrderState, command: PlaceOrder): boolean {
  const placed = command.data.lines;
  return (
    placed.length === order.lines.length &&
    placed.every((line, i) => order.lines[i]?.sku === line.sku && order.lines[i]?.quantity === line.quantity)
  );
}
