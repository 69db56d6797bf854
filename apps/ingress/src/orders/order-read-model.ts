import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import { orderId as orderIdSchema, type OrderView } from '@bulwark/contracts';
import type { OrderCursor } from '../list-orders/order-cursor';
import { ACCEPTED_ORDERS, ORDER_LIST, ORDER_VIEWS } from '../tokens';
import type { OrderListBuckets, OrderListEntry } from './order-list-index';
import { pendingView, type AcceptedOrder } from './accepted-order';
import { isFinal, toOrderView, type OrderViewDocument } from './order-view-document';

/** How often a waiting request (Prefer: wait) or an SSE stream looks at the read model (ADR 0005). */
export const READ_MODEL_POLL_MS = 250;

export interface OrderPageResult {
  readonly items: readonly OrderView[];
  /** The last item returned, when there are more after it. */
  readonly next?: OrderCursor;
}

/**
 * Reads of the order read model, for one customer at a time. An order the projection has not
 * reached yet is answered from `accepted_orders` as PENDING. Unknown orders and other
 * customers' orders look the same (null): the API must not reveal that an order id exists.
 */
@Injectable()
export class OrderReadModel {
  constructor(
    @Inject(ORDER_VIEWS) private readonly views: Collection<OrderViewDocument>,
    @Inject(ACCEPTED_ORDERS) private readonly accepted: Collection<AcceptedOrder>,
    @Inject(ORDER_LIST) private readonly list: OrderListBuckets,
  ) {}

  async findForOwner(orderId: string, customerId: string): Promise<OrderView | null> {
    return (await this.lookup(orderId, customerId))?.view ?? null;
  }

  /**
   * The order and whether it is the projection's view (`projected`) or only the accepted
   * order answered as PENDING. The live stream sends only projected history, so every event
   * it sends is exactly the view's entry at that index.
   */
  async lookup(orderId: string, customerId: string): Promise<{ view: OrderView; projected: boolean } | null> {
    if (!orderIdSchema.safeParse(orderId).success) return null;
    const owned = (found: { view: OrderView; projected: boolean }) => (found.view.customerId === customerId ? found : null);
    // Usually the view exists: one read (pollers call this every 250 ms).
    const view = await this.views.findOne({ _id: orderId });
    if (view) return owned({ view: toOrderView(view), projected: true });
    const accepted = await this.accepted.findOne({ _id: orderId });
    if (accepted) return owned({ view: pendingView(accepted), projected: false });
    // The projection writes the view BEFORE it deletes the accepted order, so if both reads
    // missed, the view may have appeared in between: look once more before saying "unknown".
    const late = await this.views.findOne({ _id: orderId });
    return late ? owned({ view: toOrderView(late), projected: true }) : null;
  }

  /**
   * A page of the customer's orders, newest first: the customer's list bucket (see
   * order-list-index.ts) plus accepted orders the projection has not reached yet. Accepted
   * orders are read first: the projection writes view and list entry before it deletes the
   * accepted order, so an order is always in one of the two reads.
   */
  async page(customerId: string, limit: number, after?: OrderCursor): Promise<OrderPageResult> {
    const position: Filter<{ placedAt: string; _id: string }> = after
      ? { $or: [{ placedAt: { $lt: after.placedAt } }, { placedAt: after.placedAt, _id: { $lt: after.orderId } }] }
      : {};
    const sort = { placedAt: -1, _id: -1 } as const;
    const accepted = await this.accepted
      .find({ customerId, ...position } as Filter<AcceptedOrder>)
      .sort(sort)
      .limit(limit + 1)
      .toArray();
    const entries = await this.list
      .forCustomer(customerId)
      .find({ customerId, ...position } as Filter<OrderListEntry>)
      .sort(sort)
      .limit(limit + 1)
      .toArray();
    // One read per order, all at once: `_id` lookups are the fast path on every store.
    const views = await Promise.all(entries.map((entry) => this.views.findOne({ _id: entry._id })));
    const projected = views.filter((v): v is NonNullable<typeof v> => v !== null).map(toOrderView);
    const listed = new Set(entries.map((e) => e._id));
    const pending: OrderView[] = [];
    for (const order of accepted) {
      // Listed already, or its view exists and its entry sorts onto another page: not pending.
      if (!listed.has(order._id) && !(await this.views.findOne({ _id: order._id }))) pending.push(pendingView(order));
    }
    const merged = [...projected, ...pending].sort(newestFirst);
    const items = merged.slice(0, limit);
    const last = items.at(-1);
    return merged.length > limit && last ? { items, next: { placedAt: last.placedAt, orderId: last.orderId } } : { items };
  }

  /** Polls until the order is final (its view), `waitMs` passes or `signal` fires; null if not final by then. */
  async waitUntilFinal(orderId: string, customerId: string, waitMs: number, signal?: AbortSignal): Promise<OrderView | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const view = await this.findForOwner(orderId, customerId);
      if (view && isFinal(view.status)) return view;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(READ_MODEL_POLL_MS, left)));
    }
  }
}

function newestFirst(a: OrderView, b: OrderView): number {
  if (a.placedAt !== b.placedAt) return a.placedAt < b.placedAt ? 1 : -1;
  return a.orderId < b.orderId ? 1 : a.orderId > b.orderId ? -1 : 0;
}
