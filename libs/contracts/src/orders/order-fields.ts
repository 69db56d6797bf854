import { z } from 'zod';

/**
 * Field schemas shared by the order saga's messages and its HTTP API, declared once so the
 * API rejects exactly what the services could not process.
 */
export const orderId = z.uuid();
export const customerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -; at most 64');
/** SKUs are upper-case words so they are safe as keys, document ids and URL segments. */
export const sku = z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'upper-case letters, digits and -; at most 40');
export const quantity = z.number().int().min(1).max(1000);
export const cents = z.number().int().nonnegative().max(100_000_000);
/** A simulated card number: payments is a deterministic simulator, see apps/payments/README.md. */
export const cardNumber = z.string().regex(/^[0-9]{12,19}$/, '12 to 19 digits');

export const orderLine = z.object({ sku, quantity }).strict();
export type OrderLine = z.output<typeof orderLine>;

/** At most 20 lines, each SKU once: inventory reserves per line and answers per line. */
export const orderLines = z
  .array(orderLine)
  .min(1)
  .max(20)
  .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'each sku may appear once');

export const ORDER_STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses an order never leaves. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['CONFIRMED', 'REJECTED', 'CANCELLED'];

export const REJECTION_REASONS = ['OUT_OF_STOCK', 'UNKNOWN_SKU', 'PAYMENT_DECLINED'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
