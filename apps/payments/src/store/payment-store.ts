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
import type { PaymentState } from '../domain/payment-state';
import { APPLY_OPTIONS, PAYMENTS, PAYMENTS_RELAY } from '../tokens';

/**
 * The one way a consumer changes a payment: apply the decision once (state + inbox + outbox in
 * one write, keyed by the message's key, which every decide checks is the order id), then
 * publish the outbox. If publishing fails the events stay in the outbox and the sweeper sends
 * them later; the offset may be committed, because the effect and its events are stored.
 */
@Injectable()
export class PaymentStore {
  private readonly logger = new Logger('payments');

  constructor(
    @Inject(PAYMENTS) private readonly payments: Collection<AggregateDocument<PaymentState>>,
    @Inject(PAYMENTS_RELAY) private readonly relay: OutboxRelay<PaymentState>,
    @Inject(APPLY_OPTIONS) private readonly applyOptions: ApplyOptions,
  ) {}

  async apply(
    message: Envelope,
    context: KafkaMessageContext,
    decide: (payment: PaymentState | null) => Decision<PaymentState> | null,
  ): Promise<ApplyResult<PaymentState>> {
    const result = await applyOnce(
      this.payments,
      message.key,
      { id: message.id, topic: context.getTopic(), partition: context.getPartition(), offset: context.getOffset() },
      decide,
      this.applyOptions,
    );
    if (result.status === 'applied') {
      await this.relay.flush(message.key, result.document).catch((err: unknown) => {
        this.logger.warn(
          `outbox of the payment of order ${message.key} not published yet (the sweeper will retry): ${String(err)}`,
        );
      });
    }
    return result;
  }
}
