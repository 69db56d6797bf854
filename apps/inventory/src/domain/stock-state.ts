/** Units one order holds of a SKU, at the price it reserved them at. */
export interface StockHold {
  readonly orderId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/**
 * One SKU's stock. `holds` are per order: a repeated ReserveStock finds the order's hold and
 * answers it again; ReleaseStock gives exactly that hold back. Holds of confirmed orders stay
 * (ADR 0005, consequences). An array of values, not an object keyed by order id: keys would
 * be data, which the store restricts ("." and a leading "$") and which is harder to diff.
 */
export interface StockState {
  readonly sku: string;
  /**
   * false until the first Restock. A reservation for a SKU nobody stocked still needs a
   * document: its answer (StockRejected UNKNOWN_SKU) goes through this document's outbox.
   * Unknown SKUs publish no stock level, so the read model does not show them.
   */
  readonly known: boolean;
  readonly available: number;
  readonly priceCents: number;
  readonly holds: readonly StockHold[];
  /**
   * Orders whose hold was given back. A copy of their ReserveStock can still arrive later (an
   * outbox republished after a crash): the inbox only remembers the last 64 message ids, and
   * on a busy SKU the copy may come after many others. Remembering the release makes the copy
   * change nothing instead of holding stock for an order that is already over.
   */
  readonly released: readonly string[];
  /**
   * Counts the commands applied to this SKU. Every inventory command changes the document
   * and emits at least one message, so this moves in step with the document's version (one
   * write per command); StockLevelChanged carries it so the read model keeps the newest level.
   */
  readonly version: number;
}

export function unknownStock(sku: string): StockState {
  return { sku, known: false, available: 0, priceCents: 0, holds: [], released: [], version: 0 };
}

export function reservedUnits(stock: StockState): number {
  return stock.holds.reduce((sum, hold) => sum + hold.quantity, 0);
}
