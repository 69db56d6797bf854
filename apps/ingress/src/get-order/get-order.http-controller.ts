import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import type { OrderView } from '@bulwark/contracts';
import { CurrentPrincipal } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { Principal } from '../auth/principal';
import { orderNotFound } from '../orders/order-not-found';
import { OrderReadModel } from '../orders/order-read-model';

/** GET /api/orders/{id}: the owner's order (PENDING right after the 202, before the projection has it). */
@Controller('api/orders')
@UseGuards(ApiGuard)
export class GetOrderHttpController {
  constructor(@Inject(OrderReadModel) private readonly readModel: OrderReadModel) {}

  @Get(':id')
  async get(@Param('id') orderId: string, @CurrentPrincipal() principal: Principal): Promise<OrderView> {
    const view = await this.readModel.findForOwner(orderId, principal.sub);
    if (!view) throw orderNotFound();
    return view;
  }
}
