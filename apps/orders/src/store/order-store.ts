import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Envelope } from '@bulwark/contracts';
import {
  applyOnce,
  OutboxRelay,
  type AggregateDocument,
  type ApplyOptions,
  type ApplyResult,
  type Decision,
  type KafkaMessageContext,
} from '@bulwark/messaging';
import type { OrderState } from '../domain/order-state';
import { APPLY_OPTIONS, ORDERS, ORDERS_RELAY } from '../tokens';

/**
 * The one way a consumer changes an order: apply the decision once (state + inbox + outbox in
 * one write, keyed by the message's key, which every decide checks is the order id), then
 * publish the outbox. If publishing fails the events stay in the outbox and the sweeper sends
 * them later; the offset may be committed, because the effect and its events are stored.
 */
@Injectable()
export class OrderStore {
  private readonly logger = new Logger('orders');

  constructor(
    @Inject(ORDERS) private readonly orders: Collection<AggregateDocument<OrderState>>,
    @Inject(ORDERS_RELAY) private readonly relay: OutboxRelay<OrderState>,
    @Inject(APPLY_OPTIONS) private readonly applyOptions: ApplyOptions,
  ) {}

  async apply(
    message: Envelope,
    context: KafkaMessageContext,
    decide: (order: OrderState | null) => Decision<OrderState> | null,
  ): Promise<ApplyResult<OrderState>> {
    const result = await applyOnce(
      this.orders,
      message.key,
      { id: message.id, topic: context.getTopic(), partition: context.getPartition(), offset: context.getOffset() },
      decide,
      this.applyOptions,
    );
    if (result.status === 'applied') {
      await this.relay.flush(message.key, result.document).catch((err: unknown) => {
        this.logger.warn(`outbox of order ${message.key} not published yet (the sweeper will retry): ${String(err)}`);
      });
    }
    return result;
  }
}
