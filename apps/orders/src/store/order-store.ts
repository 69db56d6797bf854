import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { AggregateStore, OutboxRelay, type AggregateDocument, type ApplyOptions } from '@bulwark/messaging';
import type { OrderState } from '../domain/order-state';
import { APPLY_OPTIONS, ORDERS, ORDERS_RELAY } from '../tokens';

/** This service's aggregates behind the shared apply-once-then-relay path (libs/messaging). */
@Injectable()
export class OrderStore extends AggregateStore<OrderState> {
  constructor(
    @Inject(ORDERS) collection: Collection<AggregateDocument<OrderState>>,
    @Inject(ORDERS_RELAY) relay: OutboxRelay<OrderState>,
    @Inject(APPLY_OPTIONS) options: ApplyOptions,
  ) {
    const logger = new Logger('orders');
    super(collection, relay, options, 'order', (line) => logger.warn(line));
  }
}
