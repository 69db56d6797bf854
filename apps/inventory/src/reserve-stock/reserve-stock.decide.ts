import { InventoryEvents, type DataOf, type Envelope, type InventoryCommands } from '@bulwark/contracts';
import type { Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { requireKeyedBySku } from '../domain/inventory-errors';
import { announceLevel } from '../domain/stock-level';
import { unknownStock, type StockState } from '../domain/stock-state';

export type ReserveStock = Envelope<'ReserveStock', DataOf<typeof InventoryCommands.messages.ReserveStock>>;

/**
 * ADR 0005 step 2: holds `quantity` units for the order if that many are free, at the
 * current price, and answers StockReserved; else answers StockRejected (UNKNOWN_SKU for a SKU
 * never restocked, OUT_OF_STOCK otherwise). Answers go to inventory.events keyed by the ORDER
 * id (back to the order's owner). An order that already holds the SKU changes nothing and
 * gets the same StockReserved again. Never oversells: a SKU's commands are applied one after
 * the other by its partition's owner, each a read-decide-write of this document.
 */
export function reserveStock(stock: StockState | null, command: ReserveStock): Decision<StockState> {
  requireKeyedBySku(command);
  const { orderId, sku, quantity } = command.data;
  const current = stock ?? unknownStock(sku);
  const touched: StockState = { ...current, version: current.version + 1 };
  const out = causedEvents(command);
  if (!current.known) {
    out.emit(InventoryEvents, 'StockRejected', orderId, {
      orderId,
      sku,
      requested: quantity,
      available: 0,
      reason: 'UNKNOWN_SKU',
    });
    return { state: touched, events: out.entries };
  }
  // A late copy for an order whose hold was already given back: nothing to do (see StockState).
  if (current.released.includes(orderId)) return { state: touched, events: out.entries };
  const held = current.holds.find((hold) => hold.orderId === orderId);
  if (held) {
    out.emit(InventoryEvents, 'StockReserved', orderId, {
      orderId,
      sku,
      quantity: held.quantity,
      unitPriceCents: held.unitPriceCents,
    });
    return { state: touched, events: out.entries };
  }
  if (current.available < quantity) {
    out.emit(InventoryEvents, 'StockRejected', orderId, {
      orderId,
      sku,
      requested: quantity,
      available: current.available,
      reason: 'OUT_OF_STOCK',
    });
    return { state: touched, events: out.entries };
  }
  const reserved: StockState = {
    ...touched,
    available: current.available - quantity,
    holds: [...current.holds, { orderId, quantity, unitPriceCents: current.priceCents }],
  };
  out.emit(InventoryEvents, 'StockReserved', orderId, { orderId, sku, quantity, unitPriceCents: current.priceCents });
  announceLevel(reserved, out);
  return { state: reserved, events: out.entries };
}
