import type { DataOf, Envelope, InventoryCommands } from '@bulwark/contracts';
import type { Decision } from '@bulwark/messaging';
import { causedEvents } from '../domain/caused-events';
import { requireKeyedBySku } from '../domain/inventory-errors';
import { announceLevel } from '../domain/stock-level';
import { unknownStock, type StockState } from '../domain/stock-state';

export type Restock = Envelope<'Restock', DataOf<typeof InventoryCommands.messages.Restock>>;

/**
 * ADR 0005 step 2: sets the units free to reserve and the unit price; the SKU becomes known.
 * Holds are untouched: orders that reserved keep their units at the price they reserved at.
 */
export function restock(stock: StockState | null, command: Restock): Decision<StockState> {
  requireKeyedBySku(command);
  const { sku, available, priceCents } = command.data;
  const current = stock ?? unknownStock(sku);
  const restocked: StockState = { ...current, known: true, available, priceCents, version: current.version + 1 };
  const out = causedEvents(command);
  announceLevel(restocked, out);
  return { state: restocked, events: out.entries };
}
