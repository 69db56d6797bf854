import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { AggregateStore, OutboxRelay, type AggregateDocument, type ApplyOptions } from '@bulwark/messaging';
import type { PaymentState } from '../domain/payment-state';
import { APPLY_OPTIONS, PAYMENTS, PAYMENTS_RELAY } from '../tokens';

/** This service's aggregates behind the shared apply-once-then-relay path (libs/messaging). */
@Injectable()
export class PaymentStore extends AggregateStore<PaymentState> {
  constructor(
    @Inject(PAYMENTS) collection: Collection<AggregateDocument<PaymentState>>,
    @Inject(PAYMENTS_RELAY) relay: OutboxRelay<PaymentState>,
    @Inject(APPLY_OPTIONS) options: ApplyOptions,
  ) {
    const logger = new Logger('payments');
    super(collection, relay, options, 'payment', (line) => logger.warn(line));
  }
}
