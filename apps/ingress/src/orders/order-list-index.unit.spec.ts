import type { Collection } from 'mongodb';
import { InMemoryCollection } from '../../test/support/in-memory-collection';
import { OrderListBackfill } from './order-list-backfill';
import {
  allOrderListCollections,
  ORDER_LIST_BUCKETS,
  orderListBuckets,
  orderListCollection,
  type OrderListEntry,
} from './order-list-index';
import type { OrderViewDocument } from './order-view-document';

describe('order list buckets', () => {
  it('put a customer always in the same one of the 32, spread over all of them', () => {
    expect(orderListCollection('alice')).toBe(orderListCollection('alice'));
    expect(allOrderListCollections()).toHaveLength(ORDER_LIST_BUCKETS);
    const used = new Set(Array.from({ length: 2000 }, (_, i) => orderListCollection(`c-${i}`)));
    expect([...used].every((name) => allOrderListCollections().includes(name))).toBe(true);
    expect(used.size).toBe(ORDER_LIST_BUCKETS);
  });
});

describe('OrderListBackfill (views projected before the list buckets existed)', () => {
  it('writes an entry per existing view once per database, idempotently', async () => {
    const collections = new Map<string, InMemoryCollection>();
    const collection = (name: string) => {
      if (!collections.has(name)) collections.set(name, new InMemoryCollection(name));
      return collections.get(name) as InMemoryCollection;
    };
    const views = collection('order_views');
    const existing: [string, string][] = [
      ['o-1', 'alice'],
      ['o-2', 'alice'],
      ['o-3', 'bob'],
    ];
    for (const [id, customerId] of existing) {
      await views.insertOne({ _id: id, customerId, placedAt: `2026-01-01T00:00:0${id.slice(-1)}.000Z`, status: 'CONFIRMED' });
    }
    const buckets = orderListBuckets((name) => collection(name) as unknown as Collection<OrderListEntry>);
    const backfill = new OrderListBackfill(
      views as unknown as Collection<OrderViewDocument>,
      buckets,
      collection('read_model_markers') as unknown as Collection<{ _id: string; at: string }>,
    );

    expect(await backfill.run()).toBe(3);
    const alice = collection(orderListCollection('alice'));
    expect(await alice.find({ customerId: 'alice' }).toArray()).toEqual([
      { _id: 'o-1', customerId: 'alice', placedAt: '2026-01-01T00:00:01.000Z' },
      { _id: 'o-2', customerId: 'alice', placedAt: '2026-01-01T00:00:02.000Z' },
    ]);
    expect(await backfill.run()).toBe(0); // the marker says it is done
  });
});
