import type { z } from 'zod';
import type { EnvelopeOf, InventoryStock, StockView as StockViewSchema } from '@bulwark/contracts';

export type StockView = z.output<typeof StockViewSchema>;

export type StockLevelChanged = EnvelopeOf<typeof InventoryStock>;

/** What `stock_views` stores per SKU (`_id` = SKU). */
export interface StockViewDocument extends StockView {
  readonly _id: string;
  /** The inventory document's version this level was read at. */
  readonly version: number;
}

/**
 * evolve for a SKU's level: only a higher version replaces what is stored, so redeliveries,
 * replays and out-of-order copies change nothing. `updatedAt` is the event's time.
 */
export function evolveStockView(current: StockViewDocument | null, event: StockLevelChanged): StockViewDocument | null {
  const { sku, available, reserved, priceCents, version } = event.data;
  if (current && current.version >= version) return null;
  return { _id: sku, sku, available, reserved, priceCents, updatedAt: event.occurredAt, version };
}

export function toStockView(doc: StockViewDocument): StockView {
  return { sku: doc.sku, available: doc.available, reserved: doc.reserved, priceCents: doc.priceCents, updatedAt: doc.updatedAt };
}
