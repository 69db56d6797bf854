import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InventoryCommands, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { StockStore } from '../store/stock-store';
import { releaseStock, type ReleaseStock } from './release-stock.decide';

/**
 * Thin adapter for ReleaseStock. The other inventory commands share the topic: Nest calls every
 * handler of a topic, so each takes only its own type and returns before touching the store
 * (applying another use case's message here would put its id in the inbox unhandled).
 */
@Controller()
export class ReleaseStockConsumer {
  constructor(private readonly store: StockStore) {}

  @OnTopic(InventoryCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    if (envelope.type !== InventoryCommands.messages.ReleaseStock.type) return;
    const command = context.recorded(envelope as ReleaseStock);
    await this.store.apply(command, context, (stock) => releaseStock(stock, command));
  }
}
