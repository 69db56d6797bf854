import { Inject, Injectable } from '@nestjs/common';
import { OrdersCommands, type CancelOrderRequest } from '@bulwark/contracts';
import { newEnvelope, PUBLISHER, type Publisher } from '@bulwark/messaging';
import { ApiError } from '@bulwark/platform';
import type { Principal } from '../auth/principal';
import type { IngressConfig } from '../config';
import type { HttpResult } from '../http/http-result';
import { publishOr503 } from '../http/publish-or-503';
import { OrderReadModel } from '../orders/order-read-model';
import { orderNotFound } from '../orders/order-not-found';
import { isFinal } from '../orders/order-view-document';
import { orderLinks, preferFinalView } from '../orders/prefer-final-view';
import { INGRESS_CONFIG } from '../tokens';

/**
 * POST /api/orders/{id}/cancel. The read model is checked first so the client hears at once
 * about orders that are not theirs (404) or already final (409). The check can be a moment
 * behind: orders decides for real, and a cancel that comes too late changes nothing there
 * (OrderCancellationRefused). Cancelling twice is harmless, so no Idempotency-Key is needed.
 */
@Injectable()
export class CancelOrderUseCase {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(OrderReadModel) private readonly readModel: OrderReadModel,
  ) {}

  async execute(input: {
    principal: Principal;
    orderId: string;
    request: CancelOrderRequest;
    waitSeconds: number | null;
    signal?: AbortSignal;
  }): Promise<HttpResult> {
    const customerId = input.principal.sub;
    const view = await this.readModel.findForOwner(input.orderId, customerId);
    if (!view) throw orderNotFound();
    if (isFinal(view.status)) {
      throw new ApiError(
        409,
        'BLW_ORDER_FINAL',
        `order ${view.orderId} is ${view.status} and can no longer be cancelled`,
        false,
        {
          status: view.status,
        },
      );
    }
    const command = newEnvelope(
      OrdersCommands.messages.CancelOrder,
      view.orderId,
      { orderId: view.orderId, customerId, reason: input.request.reason ?? '' },
      null,
    );
    await publishOr503(this.publisher, OrdersCommands.name, command, this.config.PUBLISH_TIMEOUT_MS);
    const links = orderLinks(view.orderId);
    const accepted: HttpResult = {
      status: 202,
      body: { orderId: view.orderId, commandId: command.id, status: view.status, links },
      headers: { location: links.self },
    };
    return preferFinalView(this.readModel, accepted, { orderId: view.orderId, customerId }, input.waitSeconds, input.signal);
  }
}
