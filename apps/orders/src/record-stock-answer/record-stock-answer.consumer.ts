import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InventoryEvents, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { OrderStore } from '../store/order-store';
import { recordStockAnswer, type StockAnswer } from './record-stock-answer.decide';

/** Thin adapter: inventory's answers (keyed by order id) applied to the order. */
@Controller()
export class RecordStockAnswerConsumer {
  constructor(private readonly store: OrderStore) {}

  @OnTopic(InventoryEvents)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    // The pipeline validated the type and data against InventoryEvents.
    const answer = context.recorded(envelope as StockAnswer);
    await this.store.apply(answer, context, (order) => recordStockAnswer(order, answer));
  }
}
