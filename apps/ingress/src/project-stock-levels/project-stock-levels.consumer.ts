import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { InventoryStock, type Envelope } from '@bulwark/contracts';
import { OnTopic, writerLock } from '@bulwark/messaging';
import { transientWhileBusy } from '../store/store-busy';
import { STOCK_VIEWS } from '../tokens';
import { evolveStockView, type StockLevelChanged, type StockViewDocument } from './stock-view.evolve';

/** Projects inventory.stock (keyed by SKU) into `stock_views`, keeping the highest version per SKU. */
@Controller()
export class ProjectStockLevelsConsumer {
  constructor(@Inject(STOCK_VIEWS) private readonly views: Collection<StockViewDocument>) {}

  @OnTopic(InventoryStock)
  async handle(@Payload() envelope: Envelope): Promise<void> {
    const event = envelope as StockLevelChanged;
    const sku = event.data.sku;
    await writerLock(this.views.namespace).run(sku, () =>
      transientWhileBusy(async () => {
        const next = evolveStockView(await this.views.findOne({ _id: sku }), event);
        if (next) await this.views.replaceOne({ _id: sku }, next, { upsert: true });
      }),
    );
  }
}
