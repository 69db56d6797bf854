import { InventoryStock } from '@bulwark/contracts';
import type { CausedEvents } from './caused-events';
import { reservedUnits, type StockState } from './stock-state';

/** Tells the read model the SKU's level after a change (inventory.stock, keyed by SKU). */
export function announceLevel(stock: StockState, out: CausedEvents): void {
  out.emit(InventoryStock, 'StockLevelChanged', stock.sku, {
    sku: stock.sku,
    available: stock.available,
    reserved: reservedUnits(stock),
    priceCents: stock.priceCents,
    version: stock.version,
  });
}
