import { Body, Controller, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CancelOrderRequest } from '@bulwark/contracts';
import { CurrentPrincipal } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { Principal } from '../auth/principal';
import { clientGone, send } from '../http/http-result';
import { parseBody } from '../http/parse-body';
import { parsePreferWait } from '../http/prefer-wait';
import { CancelOrderUseCase } from './cancel-order.use-case';

@Controller('api/orders')
@UseGuards(ApiGuard)
export class CancelOrderHttpController {
  constructor(@Inject(CancelOrderUseCase) private readonly cancelOrder: CancelOrderUseCase) {}

  @Post(':id/cancel')
  async cancel(
    @Param('id') orderId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The body is optional: no body means no reason.
    const request = parseBody(CancelOrderRequest, body ?? {});
    const waitSeconds = parsePreferWait(reply.request.headers.prefer);
    await send(reply, await this.cancelOrder.execute({ principal, orderId, request, waitSeconds, signal: clientGone(reply) }));
  }
}
