import { Body, Controller, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PlaceOrderRequest } from '@bulwark/contracts';
import { CurrentPrincipal } from '../auth/access.decorator';
import { ApiGuard } from '../auth/api.guard';
import type { Principal } from '../auth/principal';
import { clientGone, send } from '../http/http-result';
import { parseBody } from '../http/parse-body';
import { parsePreferWait } from '../http/prefer-wait';
import { parseIdempotencyKey } from './idempotency-key';
import { PlaceOrderUseCase } from './place-order.use-case';

/** POST /api/orders: 202 CommandAccepted + Location, or 200 OrderView under `Prefer: wait=N`. */
@Controller('api/orders')
@UseGuards(ApiGuard)
export class PlaceOrderHttpController {
  constructor(@Inject(PlaceOrderUseCase) private readonly placeOrder: PlaceOrderUseCase) {}

  @Post()
  async place(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    const idempotencyKey = parseIdempotencyKey(reply.request.headers['idempotency-key']);
    const request = parseBody(PlaceOrderRequest, body);
    const waitSeconds = parsePreferWait(reply.request.headers.prefer);
    await send(
      reply,
      await this.placeOrder.execute({ principal, idempotencyKey, request, waitSeconds, signal: clientGone(reply) }),
    );
  }
}
