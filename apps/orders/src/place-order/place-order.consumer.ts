import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrdersCommands, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { OrderStore } from '../store/order-store';
import { placeOrder, type PlaceOrder } from './place-order.decide';

/**
 * Thin adapter for PlaceOrder. CancelOrder shares the topic: Nest calls every handler of a
 * topic, so each one takes only its own type and must return before touching the store
 * (applying another use case's message here would put its id in the inbox unhandled).
 */
@Controller()
export class PlaceOrderConsumer {
  constructor(private readonly store: OrderStore) {}

  @OnTopic(OrdersCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    if (envelope.type !== OrdersCommands.messages.PlaceOrder.type) return;
    const command = context.recorded(envelope as PlaceOrder);
    await this.store.apply(command, context, (order) => placeOrder(order, command));
  }
}
