import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InventoryCommands, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { StockStore } from '../store/stock-store';
import { restock, type Restock } from './restock.decide';

/**
 * Thin adapter for Restock. The other inventory commands share the topic: Nest calls every
 * handler of a topic, so each takes only its own type and returns before touching the store
 * (applying another use case's message here would put its id in the inbox unhandled).
 */
@Controller()
export class RestockConsumer {
  constructor(private readonly store: StockStore) {}

  @OnTopic(InventoryCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    if (envelope.type !== InventoryCommands.messages.Restock.type) return;
    const command = context.recorded(envelope as Restock);
    await this.store.apply(command, context, (stock) => restock(stock, command));
  }
}
