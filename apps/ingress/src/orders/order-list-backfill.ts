import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { retryWhileBusy } from '../store/store-busy';
import { ORDER_LIST, ORDER_VIEWS, READ_MODEL_MARKERS } from '../tokens';
import type { OrderListBuckets } from './order-list-index';
import type { OrderViewDocument } from './order-view-document';

/** Bump when the list entries' shape or bucketing changes, so every database is backfilled again. */
const MARKER = 'order-list-backfilled-v1';

/**
 * The list buckets came after `order_views`: a database projected before them has views without
 * list entries. Once per database, in the background, every view gets its entry (the same
 * idempotent upsert the projection makes, so running next to it, or on two replicas at once,
 * is harmless). A marker document records that it is done.
 */
@Injectable()
export class OrderListBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger('order-list-backfill');

  constructor(
    @Inject(ORDER_VIEWS) private readonly views: Collection<OrderViewDocument>,
    @Inject(ORDER_LIST) private readonly list: OrderListBuckets,
    @Inject(READ_MODEL_MARKERS) private readonly markers: Collection<{ _id: string; at: string }>,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: readiness must not wait for it (lists are complete again when it is done).
    void this.run().catch((err: unknown) => this.logger.warn(`not finished (the next start tries again): ${String(err)}`));
  }

  async run(): Promise<number> {
    if (await this.markers.findOne({ _id: MARKER })) return 0;
    let count = 0;
    for await (const view of this.views.find({}, { projection: { customerId: 1, placedAt: 1 } })) {
      const entry = { customerId: view.customerId, placedAt: view.placedAt };
      await retryWhileBusy(() => this.list.forCustomer(view.customerId).replaceOne({ _id: view._id }, entry, { upsert: true }));
      count++;
    }
    await retryWhileBusy(() => this.markers.insertOne({ _id: MARKER, at: new Date().toISOString() })).catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 11000) throw err; // another replica finished first
    });
    if (count > 0) this.logger.log(`list entries written for ${count} existing orders`);
    return count;
  }
}
