import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { AggregateStore, OutboxRelay, type AggregateDocument, type ApplyOptions } from '@bulwark/messaging';
import type { StockState } from '../domain/stock-state';
import { APPLY_OPTIONS, STOCK, STOCK_RELAY } from '../tokens';

/** This service's aggregates behind the shared apply-once-then-relay path (libs/messaging). */
@Injectable()
export class StockStore extends AggregateStore<StockState> {
  constructor(
    @Inject(STOCK) collection: Collection<AggregateDocument<StockState>>,
    @Inject(STOCK_RELAY) relay: OutboxRelay<StockState>,
    @Inject(APPLY_OPTIONS) options: ApplyOptions,
  ) {
    const logger = new Logger('inventory');
    super(collection, relay, options, 'SKU', (line) => logger.warn(line));
  }
}
