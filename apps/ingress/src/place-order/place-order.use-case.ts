import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { OrdersCommands, type PlaceOrderRequest } from '@bulwark/contracts';
import { newEnvelope, PUBLISHER, type Publisher } from '@bulwark/messaging';
import { ApiError } from '@bulwark/platform';
import type { Principal } from '../auth/principal';
import type { IngressConfig } from '../config';
import type { HttpResult } from '../http/http-result';
import { publishOr503 } from '../http/publish-or-503';
import type { AcceptedOrder } from '../orders/accepted-order';
import { OrderReadModel } from '../orders/order-read-model';
import { orderLinks, preferFinalView } from '../orders/prefer-final-view';
import { busyAs503, retryWhileBusy } from '../store/store-busy';
import { ACCEPTED_ORDERS, INGRESS_CONFIG } from '../tokens';
import type { IdempotencyRecord, StoredResponse } from './idempotency-record';
import { IdempotencyStore } from './idempotency-store';
import { requestFingerprint } from './request-fingerprint';

export interface PlaceOrderInput {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  readonly request: PlaceOrderRequest;
  readonly waitSeconds: number | null;
  readonly signal?: AbortSignal;
}

/**
 * POST /api/orders: one order per Idempotency-Key, 202 only once Kafka acknowledged the
 * PlaceOrder with acks=all. The order is recorded in `accepted_orders` before publishing, so
 * the owner can read it the moment the 202 arrives, before the projection has it.
 */
@Injectable()
export class PlaceOrderUseCase {
  private readonly logger = new Logger('place-order');

  constructor(
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(ACCEPTED_ORDERS) private readonly accepted: Collection<AcceptedOrder>,
    @Inject(OrderReadModel) private readonly readModel: OrderReadModel,
  ) {}

  async execute(input: PlaceOrderInput): Promise<HttpResult> {
    const customerId = input.principal.sub;
    const begun = await this.idempotency
      .begin(customerId, input.idempotencyKey, requestFingerprint(input.request))
      .catch((err: unknown) => Promise.reject(busyAs503(err)));
    switch (begun.kind) {
      case 'mismatch':
        throw new ApiError(
          422,
          'BLW_IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used with a different request body',
          false,
        );
      case 'in-flight':
        throw new ApiError(
          409,
          'BLW_IDEMPOTENCY_IN_FLIGHT',
          'a request with this Idempotency-Key is still being processed',
          true,
          undefined,
          {
            'retry-after': '1',
          },
        );
      case 'replay': {
        const replayed = asResult(begun.response, { 'idempotent-replayed': 'true' });
        return this.afterAccepted(replayed, begun.response, customerId, input);
      }
      case 'proceed': {
        const response = await this.placeAndPublish(begun.record, customerId, input.request);
        return this.afterAccepted(asResult(response), response, customerId, input);
      }
    }
  }

  private async placeAndPublish(
    record: IdempotencyRecord,
    customerId: string,
    request: PlaceOrderRequest,
  ): Promise<StoredResponse> {
    const { orderId, commandId, commandAt } = record;
    try {
      // The record's ids and time, not fresh ones: a retry of a failed attempt republishes the
      // very same command, which orders deduplicates if the first one did reach Kafka.
      const command = newEnvelope(
        OrdersCommands.messages.PlaceOrder,
        orderId,
        { orderId, customerId, lines: request.lines, payment: request.payment },
        null,
        { id: () => commandId, now: () => new Date(commandAt) },
      );
      await retryWhileBusy(() =>
        this.accepted.insertOne({ _id: orderId, customerId, lines: request.lines, placedAt: commandAt, commandId }),
      ).catch((err: unknown) => {
        // A retry of a failed attempt (same order id) finds the earlier document: it is the same order.
        if ((err as { code?: unknown }).code !== 11000) throw err;
      });
      await publishOr503(this.publisher, OrdersCommands.name, command, this.config.PUBLISH_TIMEOUT_MS);
    } catch (err) {
      // Not accepted: the client may retry with the same key. The accepted order goes too (if
      // the command did get through after all, the projection brings the order back).
      await this.idempotency.fail(record).catch(() => undefined);
      await retryWhileBusy(() => this.accepted.deleteOne({ _id: orderId })).catch(() => undefined);
      throw busyAs503(err);
    }
    const links = orderLinks(orderId);
    const response: StoredResponse = {
      status: 202,
      body: { orderId, commandId, status: 'PENDING', links },
      location: links.self,
    };
    // The command is durable whatever happens here; if the record cannot be completed, a retry
    // waits out the in-flight timeout and republishes the same command (deduplicated downstream).
    await this.idempotency.complete(record, response).catch((err: unknown) => {
      this.logger.warn(`idempotency record ${record._id} not completed: ${String(err)}`);
    });
    return response;
  }

  private afterAccepted(result: HttpResult, response: StoredResponse, customerId: string, input: PlaceOrderInput) {
    if (response.status !== 202) return Promise.resolve(result);
    const orderId = (response.body as { orderId: string }).orderId;
    return preferFinalView(this.readModel, result, { orderId, customerId }, input.waitSeconds, input.signal);
  }
}

function asResult(response: StoredResponse, extra: Record<string, string> = {}): HttpResult {
  return { status: response.status, body: response.body, headers: { location: response.location, ...extra } };
}
