import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { ACCEPTED_ORDERS, ORDER_LIST } from '../tokens';
import type { AcceptedOrder } from './accepted-order';
import type { OrderListBuckets } from './order-list-index';

/**
 * The list query's index (customer, newest first) on every list bucket and on the accepted
 * orders. Real MongoDB uses it; FerretDB's SQLite backend accepts it but still scans (hence the
 * buckets). A failure is not fatal: the list works without an index, only slower.
 */
@Injectable()
export class ReadModelIndexes implements OnApplicationBootstrap {
  private readonly logger = new Logger('read-model');

  constructor(
    @Inject(ACCEPTED_ORDERS) private readonly accepted: Collection<AcceptedOrder>,
    @Inject(ORDER_LIST) private readonly list: OrderListBuckets,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const keys = { customerId: 1, placedAt: -1, _id: -1 } as const;
    const collections: Pick<Collection, 'createIndex'>[] = [this.accepted, ...this.list.all()];
    await Promise.all(collections.map((c) => c.createIndex(keys, { name: 'customer_newest_first' }))).catch((err: unknown) =>
      this.logger.warn(`list index not created (lists still work, scanning): ${String(err)}`),
    );
  }
}
