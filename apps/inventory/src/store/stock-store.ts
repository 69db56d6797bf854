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
import type { StockState } from '../domain/stock-state';
import { APPLY_OPTIONS, STOCK, STOCK_RELAY } from '../tokens';

/**
 * The one way a consumer changes a SKU's stock: apply the decision once (state + inbox + outbox in
 * one write, keyed by the message's key, which every decide checks is the SKU), then
 * publish the outbox. If publishing fails the events stay in the outbox and the sweeper sends
 * them later; the offset may be committed, because the effect and its events are stored.
 */
@Injectable()
export class StockStore {
  private readonly logger = new Logger('inventory');

  constructor(
    @Inject(STOCK) private readonly stock: Collection<AggregateDocument<StockState>>,
    @Inject(STOCK_RELAY) private readonly relay: OutboxRelay<StockState>,
    @Inject(APPLY_OPTIONS) private readonly applyOptions: ApplyOptions,
  ) {}

  async apply(
    message: Envelope,
    context: KafkaMessageContext,
    decide: (stock: StockState | null) => Decision<StockState> | null,
  ): Promise<ApplyResult<StockState>> {
    const result = await applyOnce(
      this.stock,
      message.key,
      { id: message.id, topic: context.getTopic(), partition: context.getPartition(), offset: context.getOffset() },
      decide,
      this.applyOptions,
    );
    if (result.status === 'applied') {
      await this.relay.flush(message.key, result.document).catch((err: unknown) => {
        this.logger.warn(`outbox of SKU ${message.key} not published yet (the sweeper will retry): ${String(err)}`);
      });
    }
    return result;
  }
}
