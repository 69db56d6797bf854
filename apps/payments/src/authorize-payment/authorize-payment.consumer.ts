import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PaymentsCommands, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { PaymentStore } from '../store/payment-store';
import { authorizePayment, type AuthorizePayment } from './authorize-payment.decide';

/**
 * Thin adapter for AuthorizePayment. VoidPayment shares the topic: Nest calls every handler of a topic, so
 * each takes only its own type and returns before touching the store (applying another use
 * case's message here would put its id in the inbox unhandled).
 */
@Controller()
export class AuthorizePaymentConsumer {
  constructor(private readonly store: PaymentStore) {}

  @OnTopic(PaymentsCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    if (envelope.type !== PaymentsCommands.messages.AuthorizePayment.type) return;
    const command = context.recorded(envelope as AuthorizePayment);
    await this.store.apply(command, context, (payment) => authorizePayment(payment, command));
  }
}
