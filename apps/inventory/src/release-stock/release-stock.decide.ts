import { InventoryEvents, type DataOf, type Envelope, type InventoryCommands } from '@bulwark/contracts';
import type { Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { requireKeyedBySku } from '../domain/inventory-errors';
import { announceLevel } from '../domain/stock-level';
import { unknownStock, type StockState } from '../domain/stock-state';

export type ReleaseStock = Envelope<'ReleaseStock', DataOf<typeof InventoryCommands.messages.ReleaseStock>>;

/**
 * ADR 0005 step 2: gives back what the order holds of the SKU and answers StockReleased with
 * the units returned; 0 when it holds nothing (already released, never reserved), which makes
 * a repeated release harmless.
 */
export function releaseStock(stock: StockState | null, command: ReleaseStock): Decision<StockState> {
  requireKeyedBySku(command);
  const { orderId, sku } = command.data;
  const current = stock ?? unknownStock(sku);
  const touched: StockState = { ...current, version: current.version + 1 };
  const out = causedEvents(command);
  const held = current.holds.find((hold) => hold.orderId === orderId);
  if (!held) {
    out.emit(InventoryEvents, 'StockReleased', orderId, { orderId, sku, quantity: 0 });
    return { state: touched, events: out.entries };
  }
  const released: StockState = {
    ...touched,
    available: current.available + held.quantity,
    holds: current.holds.filter((hold) => hold !== held),
    released: [...current.released, orderId],
  };
  out.emit(InventoryEvents, 'StockReleased', orderId, { orderId, sku, quantity: held.quantity });
  announceLevel(released, out);
  return { state: released, events: out.entries };
}
