import type { OrderLine, OrderView } from '@bulwark/contracts';

/**
 * An order the ingress accepted (202) that the projection may not have seen yet. Written with
 * insertOne BEFORE the command is published, so GET/list/SSE can answer for it right after the
 * 202 (as PENDING); the projection deletes it once the order's OrderPlaced is in `order_views`.
 * It lives apart from `order_views` because that collection has one writer (the projection),
 * and FerretDB can lose one of two concurrent writes to a document.
 */
export interface AcceptedOrder {
  readonly _id: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  /** The PlaceOrder command's occurredAt. */
  readonly placedAt: string;
  readonly commandId: string;
}

export function pendingView(order: AcceptedOrder): OrderView {
  return {
    orderId: order._id,
    customerId: order.customerId,
    status: 'PENDING',
    lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    placedAt: order.placedAt,
    updatedAt: order.placedAt,
    history: [{ status: 'PENDING', at: order.placedAt }],
  };
}
