import { Module, type DynamicModule } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { HealthModule, nativeCollection } from '@bulwark/platform';
import { PUBLISHER, type Publisher } from '@bulwark/messaging';
import type { IngressConfig } from './config';
import {
  ACCEPTED_ORDERS,
  IDEMPOTENCY_CLAIMS,
  IDEMPOTENCY_RECORDS,
  INGRESS_CONFIG,
  ORDER_LIST,
  ORDER_VIEWS,
  PINGS_COLLECTION,
  RATE_LIMITER,
  READ_MODEL_MARKERS,
  STOCK_VIEWS,
} from './tokens';
import { ApiGuard } from './auth/api.guard';
import { TokenBucketLimiter } from './rate-limit/token-bucket';
import { orderListBuckets, type OrderListEntry } from './orders/order-list-index';
import { OrderReadModel } from './orders/order-read-model';
import { ReadModelIndexes } from './orders/read-model-indexes';
import { OrderListBackfill } from './orders/order-list-backfill';
import { SendPingHttpController } from './wire/send-ping/send-ping.http-controller';
import { GetPingHttpController } from './wire/get-ping/get-ping.http-controller';
import { ProjectPingAnsweredConsumer } from './wire/project-ping-answered/project-ping-answered.consumer';
import { PlaceOrderHttpController } from './place-order/place-order.http-controller';
import { PlaceOrderUseCase } from './place-order/place-order.use-case';
import { IdempotencyStore } from './place-order/idempotency-store';
import { IdempotencySweeper } from './place-order/idempotency-sweeper';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http-controller';
import { CancelOrderUseCase } from './cancel-order/cancel-order.use-case';
import { GetOrderHttpController } from './get-order/get-order.http-controller';
import { ListOrdersHttpController } from './list-orders/list-orders.http-controller';
import { WatchOrderHttpController } from './watch-order/watch-order.http-controller';
import { SseConnections } from './watch-order/sse-connections';
import { RestockHttpController } from './restock/restock.http-controller';
import { GetStockHttpController } from './get-stock/get-stock.http-controller';
import { IssueDevTokenHttpController } from './dev-tokens/issue-dev-token.http-controller';
import { ApiDocsHttpController } from './api-docs/api-docs.http-controller';
import { WebPageHttpController } from './web-page/web-page.http-controller';
import { ProjectOrderEventsConsumer } from './project-order-events/project-order-events.consumer';
import { ProjectStockLevelsConsumer } from './project-stock-levels/project-stock-levels.consumer';

/** The public API's controllers (the OpenAPI unit test checks that each of their routes is documented). */
export const API_CONTROLLERS = [
  PlaceOrderHttpController,
  ListOrdersHttpController,
  GetOrderHttpController,
  CancelOrderHttpController,
  WatchOrderHttpController,
  RestockHttpController,
  GetStockHttpController,
  IssueDevTokenHttpController,
  ApiDocsHttpController,
  WebPageHttpController,
] as const;

@Module({})
export class IngressModule {
  static register(deps: { config: IngressConfig; publisher: Publisher; mongo: Connection }): DynamicModule {
    const { config, mongo } = deps;
    return {
      module: IngressModule,
      imports: [HealthModule],
      controllers: [
        SendPingHttpController,
        GetPingHttpController,
        ProjectPingAnsweredConsumer,
        ...API_CONTROLLERS,
        ProjectOrderEventsConsumer,
        ProjectStockLevelsConsumer,
      ],
      providers: [
        { provide: INGRESS_CONFIG, useValue: config },
        { provide: PUBLISHER, useValue: deps.publisher },
        { provide: PINGS_COLLECTION, useValue: nativeCollection(mongo, 'pings') },
        { provide: ORDER_VIEWS, useValue: nativeCollection(mongo, 'order_views') },
        {
          provide: ORDER_LIST,
          useValue: orderListBuckets((name) => nativeCollection<OrderListEntry>(mongo, name)),
        },
        { provide: STOCK_VIEWS, useValue: nativeCollection(mongo, 'stock_views') },
        { provide: ACCEPTED_ORDERS, useValue: nativeCollection(mongo, 'accepted_orders') },
        { provide: READ_MODEL_MARKERS, useValue: nativeCollection(mongo, 'read_model_markers') },
        { provide: IDEMPOTENCY_RECORDS, useValue: nativeCollection(mongo, 'idempotency_keys') },
        { provide: IDEMPOTENCY_CLAIMS, useValue: nativeCollection(mongo, 'idempotency_claims') },
        {
          provide: RATE_LIMITER,
          useValue: new TokenBucketLimiter({ burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND }),
        },
        ApiGuard,
        OrderReadModel,
        ReadModelIndexes,
        OrderListBackfill,
        IdempotencyStore,
        IdempotencySweeper,
        PlaceOrderUseCase,
        CancelOrderUseCase,
        SseConnections,
      ],
    };
  }
}
