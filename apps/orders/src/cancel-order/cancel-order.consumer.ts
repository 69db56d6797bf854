import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrdersCommands, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { OrderStore } from '../store/order-store';
import { cancelOrder, type CancelOrder } from './cancel-order.decide';

/** Thin adapter for CancelOrder; it shares orders.commands with PlaceOrder (see PlaceOrderConsumer). */
@Controller()
export class CancelOrderConsumer {
  constructor(private readonly store: OrderStore) {}

  @OnTopic(OrdersCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    if (envelope.type !== OrdersCommands.messages.CancelOrder.type) return;
    const command = context.recorded(envelope as CancelOrder);
    await this.store.apply(command, context, (order) => cancelOrder(order, command));
  }
}
