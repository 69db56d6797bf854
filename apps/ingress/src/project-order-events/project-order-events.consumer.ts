import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { OrdersEvents, type Envelope } from '@bulwark/contracts';
import { OnTopic, writerLock } from '@bulwark/messaging';
import type { AcceptedOrder } from '../orders/accepted-order';
import type { OrderListBuckets } from '../orders/order-list-index';
import { normalisedInstant, type OrderViewDocument } from '../orders/order-view-document';
import { transientWhileBusy } from '../store/store-busy';
import { ACCEPTED_ORDERS, ORDER_LIST, ORDER_VIEWS } from '../tokens';
import { evolveOrderView, type OrdersEvent } from './order-view.evolve';

/**
 * Projects orders.events into `order_views` (group ingress.projection). orders.events is keyed
 * by order id, so one replica at a time writes an order's document; the writer lock keeps a
 * timed-out attempt that is still writing from overtaking the next message in this process.
 * The writes are whole-document replaces by `_id` (the one filter FerretDB pushes down).
 */
@Controller()
export class ProjectOrderEventsConsumer {
  constructor(
    @Inject(ORDER_VIEWS) private readonly views: Collection<OrderViewDocument>,
    @Inject(ACCEPTED_ORDERS) private readonly accepted: Collection<AcceptedOrder>,
    @Inject(ORDER_LIST) private readonly list: OrderListBuckets,
  ) {}

  @OnTopic(OrdersEvents)
  async handle(@Payload() envelope: Envelope): Promise<void> {
    // The pipeline validated type, version and data against OrdersEvents before we got here.
    const event = envelope as OrdersEvent;
    const orderId = event.data.orderId;
    // Read, evolve, write: idempotent as a whole, so a busy store just means doing it again.
    await writerLock(this.views.namespace).run(orderId, () =>
      transientWhileBusy(async () => {
        const next = evolveOrderView(await this.views.findOne({ _id: orderId }), event);
        if (next) await this.views.replaceOne({ _id: orderId }, next, { upsert: true });
      }),
    );
    if (event.type !== 'OrderPlaced') return;
    // Then the list entry, then the accepted order goes: readers look at the accepted order
    // first, so they never miss the order in between. Done on every delivery of OrderPlaced
    // (both writes are idempotent), in case we crashed between the writes last time.
    const { customerId } = event.data;
    const entry = { customerId, placedAt: normalisedInstant(event.data.placedAt) };
    await transientWhileBusy(() => this.list.forCustomer(customerId).replaceOne({ _id: orderId }, entry, { upsert: true }));
    await transientWhileBusy(() => this.accepted.deleteOne({ _id: orderId }));
  }
}
