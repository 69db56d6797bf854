import { z } from 'zod';
import { cents, orderId, quantity, sku } from '../orders/order-fields';
import { declareTopic, message } from './topic-declaration';

/**
 * Inventory: keyed by SKU, so one replica at a time owns a SKU's stock and a reservation is a
 * plain read-decide-write of one document (never oversells, on any store).
 */
export const InventoryCommands = declareTopic({
  name: 'inventory.commands',
  messages: {
    ReserveStock: message('ReserveStock', 1, z.object({ orderId, sku, quantity }).strict()),
    /** Gives back what `orderId` holds of `sku`; nothing if it holds nothing (idempotent). */
    ReleaseStock: message('ReleaseStock', 1, z.object({ orderId, sku }).strict()),
    /** Sets the units free to reserve and the unit price (admin restock). */
    Restock: message(
      'Restock',
      1,
      z.object({ sku, available: z.number().int().min(0).max(1_000_000), priceCents: cents }).strict(),
    ),
  },
});

/** Reservation outcomes, keyed by ORDER id: they go back to the order's owner. */
export const InventoryEvents = declareTopic({
  name: 'inventory.events',
  messages: {
    StockReserved: message('StockReserved', 1, z.object({ orderId, sku, quantity, unitPriceCents: cents }).strict()),
    StockRejected: message(
      'StockRejected',
      1,
      z
        .object({
          orderId,
          sku,
          requested: quantity,
          available: z.number().int().min(0),
          reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_SKU']),
        })
        .strict(),
    ),
    StockReleased: message('StockReleased', 1, z.object({ orderId, sku, quantity: z.number().int().min(0) }).strict()),
  },
});

/** A SKU's level after every change, keyed by SKU: what the read model shows. */
export const InventoryStock = declareTopic({
  name: 'inventory.stock',
  messages: {
    StockLevelChanged: message(
      'StockLevelChanged',
      1,
      z
        .object({
          sku,
          available: z.number().int().min(0),
          reserved: z.number().int().min(0),
          priceCents: cents,
          /** The stock document's version: a projection keeps the highest it has seen. */
          version: z.number().int().positive(),
        })
        .strict(),
    ),
  },
});
