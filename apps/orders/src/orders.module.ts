import { Module, type DynamicModule } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { HealthModule } from '@bulwark/platform';
import type { AggregateDocument, ApplyOptions, OutboxRelay } from '@bulwark/messaging';
import { CancelOrderConsumer } from './cancel-order/cancel-order.consumer';
import type { OrderState } from './domain/order-state';
import { PlaceOrderConsumer } from './place-order/place-order.consumer';
import { RecordPaymentAnswerConsumer } from './record-payment-answer/record-payment-answer.consumer';
import { RecordStockAnswerConsumer } from './record-stock-answer/record-stock-answer.consumer';
import { OrderStore } from './store/order-store';
import { APPLY_OPTIONS, ORDERS, ORDERS_RELAY } from './tokens';

@Module({})
export class OrdersModule {
  static register(deps: {
    orders: Collection<AggregateDocument<OrderState>>;
    relay: OutboxRelay<OrderState>;
    applyOptions: ApplyOptions;
  }): DynamicModule {
    return {
      module: OrdersModule,
      imports: [HealthModule],
      controllers: [PlaceOrderConsumer, CancelOrderConsumer, RecordStockAnswerConsumer, RecordPaymentAnswerConsumer],
      providers: [
        OrderStore,
        { provide: ORDERS, useValue: deps.orders },
        { provide: ORDERS_RELAY, useValue: deps.relay },
        { provide: APPLY_OPTIONS, useValue: deps.applyOptions },
      ],
    };
  }
}
