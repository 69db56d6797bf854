import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import type { z } from 'zod';
import type { OrderPage } from '@bulwark/contracts';
import { CurrentPrincipal } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { Principal } from '../auth/principal';
import { parseBody } from '../http/parse-body';
import { OrderReadModel } from '../orders/order-read-model';
import { listOrdersQuery } from './list-orders.query';
import { encodeCursor } from './order-cursor';

/** GET /api/orders?limit=&cursor=: the caller's orders, newest first. */
@Controller('api/orders')
@UseGuards(ApiGuard)
export class ListOrdersHttpController {
  constructor(@Inject(OrderReadModel) private readonly readModel: OrderReadModel) {}

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<z.output<typeof OrderPage>> {
    const { limit, cursor } = parseBody(listOrdersQuery, query, '(query)');
    const page = await this.readModel.page(principal.sub, limit, cursor);
    return { items: [...page.items], ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}) };
  }
}
