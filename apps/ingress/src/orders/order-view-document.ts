import { FINAL_ORDER_STATUSES, type OrderStatus, type OrderView } from '@bulwark/contracts';

/** What `order_views` stores per order (`_id` = order id): the API's OrderView plus projection bookkeeping. */
export interface OrderViewDocument extends OrderView {
  readonly _id: string;
  /** Number of events applied (ADR 0005). */
  readonly version: number;
  /** Envelope ids already applied, so a redelivered or replayed event changes nothing. */
  readonly appliedEventIds: readonly string[];
}

/** One spelling per instant, so times sort as strings (the list's order) whatever offset a producer used. */
export function normalisedInstant(iso: string): string {
  return new Date(iso).toISOString();
}

export const isFinal = (status: OrderStatus): boolean => FINAL_ORDER_STATUSES.includes(status);

/** The public shape, fields in a fixed order and absent ones omitted. */
export function toOrderView(doc: OrderView): OrderView {
  return {
    orderId: doc.orderId,
    customerId: doc.customerId,
    status: doc.status,
    lines: doc.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    ...(doc.amountCents === undefined ? {} : { amountCents: doc.amountCents }),
    ...(doc.reason === undefined ? {} : { reason: doc.reason }),
    ...(doc.detail === undefined ? {} : { detail: doc.detail }),
    placedAt: doc.placedAt,
    updatedAt: doc.updatedAt,
    history: doc.history.map((h) => ({
      status: h.status,
      at: h.at,
      ...(h.reason === undefined ? {} : { reason: h.reason }),
      ...(h.detail === undefined ? {} : { detail: h.detail }),
    })),
  };
}
