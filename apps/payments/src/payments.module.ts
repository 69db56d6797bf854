import { Module, type DynamicModule } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { HealthModule } from '@bulwark/platform';
import type { AggregateDocument, ApplyOptions, OutboxRelay } from '@bulwark/messaging';
import { AuthorizePaymentConsumer } from './authorize-payment/authorize-payment.consumer';
import type { PaymentState } from './domain/payment-state';
import { PaymentStore } from './store/payment-store';
import { APPLY_OPTIONS, PAYMENTS, PAYMENTS_RELAY } from './tokens';
import { VoidPaymentConsumer } from './void-payment/void-payment.consumer';

@Module({})
export class PaymentsModule {
  static register(deps: {
    payments: Collection<AggregateDocument<PaymentState>>;
    relay: OutboxRelay<PaymentState>;
    applyOptions: ApplyOptions;
  }): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [HealthModule],
      controllers: [AuthorizePaymentConsumer, VoidPaymentConsumer],
      providers: [
        PaymentStore,
        { provide: PAYMENTS, useValue: deps.payments },
        { provide: PAYMENTS_RELAY, useValue: deps.relay },
        { provide: APPLY_OPTIONS, useValue: deps.applyOptions },
      ],
    };
  }
}
