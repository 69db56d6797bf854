import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PaymentsEvents, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic } from '@bulwark/messaging';
import { OrderStore } from '../store/order-store';
import { recordPaymentAnswer, type PaymentAnswer } from './record-payment-answer.decide';

/** Thin adapter: payments' answers (keyed by order id) applied to the order. */
@Controller()
export class RecordPaymentAnswerConsumer {
  constructor(private readonly store: OrderStore) {}

  @OnTopic(PaymentsEvents)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    // The pipeline validated the type and data against PaymentsEvents.
    const answer = context.recorded(envelope as PaymentAnswer);
    await this.store.apply(answer, context, (order) => recordPaymentAnswer(order, answer));
  }
}
