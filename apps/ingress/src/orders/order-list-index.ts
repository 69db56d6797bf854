import { createHash } from 'node:crypto';
import type { Collection } from 'mongodb';

/**
 * The list index: `{_id: orderId, customerId, placedAt}` per order, spread over a fixed number
 * of collections by a hash of the customer id. Why: FerretDB's SQLite backend pushes no filter
 * but `{_id}` down, so `find({customerId})` decodes every document of the collection in Go,
 * about 1-2 ms each (measured: 1,000 orders, 1-3 s per list). A customer's orders all land in
 * one bucket, so a list scans 1/BUCKETS of them. On MongoDB an index serves the same query.
 * Written by the projection on OrderPlaced (an idempotent upsert by `_id`); derived data only,
 * so it can be dropped and rebuilt by a replay.
 */
export interface OrderListEntry {
  readonly _id: string;
  readonly customerId: string;
  readonly placedAt: string;
}

/** WARNING: changing it moves customers to other buckets; drop the buckets and replay the projection. */
export const ORDER_LIST_BUCKETS = 32;

export function orderListCollection(customerId: string): string {
  const bucket = createHash('sha256').update(customerId).digest().readUInt32BE(0) % ORDER_LIST_BUCKETS;
  return `order_list_${String(bucket).padStart(2, '0')}`;
}

export function allOrderListCollections(): string[] {
  return Array.from({ length: ORDER_LIST_BUCKETS }, (_, i) => `order_list_${String(i).padStart(2, '0')}`);
}

/** What ORDER_LIST provides: the bucket of a customer, and all of them (for indexes). */
export interface OrderListBuckets {
  forCustomer(customerId: string): Collection<OrderListEntry>;
  all(): Collection<OrderListEntry>[];
}

export function orderListBuckets(collection: (name: string) => Collection<OrderListEntry>): OrderListBuckets {
  return {
    forCustomer: (customerId) => collection(orderListCollection(customerId)),
    all: () => allOrderListCollections().map(collection),
  };
}
