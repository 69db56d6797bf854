import { Module, type DynamicModule } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { HealthModule } from '@bulwark/platform';
import type { AggregateDocument, ApplyOptions, OutboxRelay } from '@bulwark/messaging';
import type { StockState } from './domain/stock-state';
import { ReleaseStockConsumer } from './release-stock/release-stock.consumer';
import { ReserveStockConsumer } from './reserve-stock/reserve-stock.consumer';
import { RestockConsumer } from './restock/restock.consumer';
import { StockStore } from './store/stock-store';
import { APPLY_OPTIONS, STOCK, STOCK_RELAY } from './tokens';

@Module({})
export class InventoryModule {
  static register(deps: {
    stock: Collection<AggregateDocument<StockState>>;
    relay: OutboxRelay<StockState>;
    applyOptions: ApplyOptions;
  }): DynamicModule {
    return {
      module: InventoryModule,
      imports: [HealthModule],
      controllers: [ReserveStockConsumer, ReleaseStockConsumer, RestockConsumer],
      providers: [
        StockStore,
        { provide: STOCK, useValue: deps.stock },
        { provide: STOCK_RELAY, useValue: deps.relay },
        { provide: APPLY_OPTIONS, useValue: deps.applyOptions },
      ],
    };
  }
}
