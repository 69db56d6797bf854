import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { ApiError } from '@bulwark/platform';
import { ApiGuard } from '../auth/api.guard';
import { parseSku } from '../http/parse-sku';
import { toStockView, type StockView, type StockViewDocument } from '../project-stock-levels/stock-view.evolve';
import { STOCK_VIEWS } from '../tokens';

/** GET /api/inventory/{sku} (any token): the SKU's level as last projected from inventory.stock. */
@Controller('api/inventory')
@UseGuards(ApiGuard)
export class GetStockHttpController {
  constructor(@Inject(STOCK_VIEWS) private readonly views: Collection<StockViewDocument>) {}

  @Get(':sku')
  async get(@Param('sku') path: string): Promise<StockView> {
    const sku = parseSku(path);
    const view = await this.views.findOne({ _id: sku });
    if (!view) throw new ApiError(404, 'BLW_SKU_NOT_FOUND', `no stock known for SKU ${sku}`, false);
    return toStockView(view);
  }
}
