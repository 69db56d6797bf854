import { InventoryCommands, PaymentsCommands } from '@bulwark/contracts';
import type { CausedEvents } from './caused-events';
import type { OrderLineState, OrderState } from './order-state';

/**
 * Sends ReleaseStock for every line inventory holds for the order and that was not released
 * yet (each at most once), and returns the order with those lines marked. Lines still
 * awaiting their answer are not released here: if they are reserved later, the answer finds
 * the order final and releases at once (see record-stock-answer).
 */
export function releaseHeldStock(order: OrderState, out: CausedEvents): OrderState {
  const lines = order.lines.map((line) => {
    if (line.answer !== 'RESERVED' || line.releaseRequested) return line;
    releaseLine(order, line, out);
    return { ...line, releaseRequested: true };
  });
  return { ...order, lines };
}

/** Asks inventory to give back what the order holds of the line's SKU (the caller marks the line). */
export function releaseLine(order: OrderState, line: OrderLineState, out: CausedEvents): void {
  out.emit(InventoryCommands, 'ReleaseStock', line.sku, { orderId: order.orderId, sku: line.sku });
}

/** Voids whatever payments decided for the order; payments makes a repeated void a no-op. */
export function voidPayment(order: OrderState, out: CausedEvents): void {
  out.emit(PaymentsCommands, 'VoidPayment', order.orderId, { orderId: order.orderId });
}
