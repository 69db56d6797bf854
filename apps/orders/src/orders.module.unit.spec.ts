import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import {
  ConsumerGroups,
  deadLetterTopic,
  InventoryCommands,
  InventoryEvents,
  OrdersCommands,
  OrdersEvents,
  PaymentsCommands,
  PaymentsEvents,
  type Envelope,
} from '@bulwark/contracts';
import {
  BulwarkKafkaTransport,
  DeadLetterHeaders,
  decodeEnvelope,
  defaultMiddleware,
  InMemoryBroker,
  InMemoryPublisher,
  InMemorySubscriber,
  OutboxRelay,
  type AggregateDocument,
} from '@bulwark/messaging';
import { ApiErrorFilter } from '@bulwark/platform';
import type { OrderState } from './domain/order-state';
import { OrdersErrors } from './domain/order-errors';
import { OrdersModule } from './orders.module';
import { MemoryCollection } from '../../../libs/messaging/test/support/memory-collection';
import { ORDER_ID, msg } from '../test/support/saga-messages';

/**
 * The consumers as the runtime drives them: Nest's microservice over the Bulwark transport on
 * an in-memory broker, the standard pipeline, applyOnce and the relay on an in-memory
 * collection. What it proves that the decide tests cannot: PlaceOrder and CancelOrder share
 * orders.commands, and Nest must call both handlers, each applying only its own type.
 */
const TOPICS = [OrdersCommands, InventoryEvents, PaymentsEvents];
const OUTPUTS = [OrdersEvents, InventoryCommands, PaymentsCommands];

async function start() {
  const broker = new InMemoryBroker();
  for (const topic of [...TOPICS, ...OUTPUTS]) broker.createTopic(topic.name, 2);
  broker.createTopic(deadLetterTopic(ConsumerGroups.orders), 1);
  const publisher = new InMemoryPublisher(broker);
  const orders = new MemoryCollection<AggregateDocument<OrderState>>(`orders-${Math.random()}`);
  const subscriber = new InMemorySubscriber(broker, { log: () => undefined });
  const middleware = defaultMiddleware({
    group: ConsumerGroups.orders,
    topics: TOPICS,
    rawPublisher: publisher,
    tracing: false,
    retry: { maxAttempts: 1 },
  });
  const app: INestMicroservice = await NestFactory.createMicroservice(
    OrdersModule.register({
      orders: orders.asCollection(),
      relay: new OutboxRelay(orders.asCollection(), publisher),
      applyOptions: { compareAndSet: true },
    }),
    { strategy: new BulwarkKafkaTransport(subscriber, ConsumerGroups.orders, middleware), logger: false },
  );
  // As runApp does (through the HTTP app): handler errors reach the pipeline with their code.
  app.useGlobalFilters(new ApiErrorFilter());
  await app.listen();
  const send = async (topic: string, ...messages: Envelope[]) => {
    for (const m of messages) {
      await publisher.publish(topic, [m]);
      await broker.idle();
    }
  };
  const types = (topic: string) => broker.records(topic).map((r) => decodeEnvelope(r.value).type);
  const deadLetters = () => broker.records(deadLetterTopic(ConsumerGroups.orders));
  return { broker, orders, app, send, types, deadLetters };
}

describe('orders consumers (in memory)', () => {
  let app: INestMicroservice | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('runs an order from PlaceOrder to CONFIRMED, each message applied by its own use case', async () => {
    const t = await start();
    app = t.app;
    await t.send(OrdersCommands.name, msg.placeOrder([{ sku: 'SKU-A', quantity: 2 }]));
    expect(t.orders.get(ORDER_ID)?.state.status).toBe('PENDING');
    expect(t.types(InventoryCommands.name)).toEqual(['ReserveStock']);

    await t.send(InventoryEvents.name, msg.stockReserved('SKU-A', 2, 300));
    expect(t.orders.get(ORDER_ID)?.state.status).toBe('AWAITING_PAYMENT');
    expect(t.types(PaymentsCommands.name)).toEqual(['AuthorizePayment']);

    await t.send(PaymentsEvents.name, msg.paymentAuthorized(600));
    const doc = t.orders.get(ORDER_ID);
    expect(doc?.state.status).toBe('CONFIRMED');
    expect(doc?.outbox).toEqual([]); // the relay published and cleared it
    expect(t.types(OrdersEvents.name)).toEqual(['OrderPlaced', 'OrderAwaitingPayment', 'OrderConfirmed']);
    expect(t.deadLetters()).toEqual([]);
  });

  it('routes CancelOrder, which shares orders.commands with PlaceOrder, to its own handler', async () => {
    const t = await start();
    app = t.app;
    await t.send(OrdersCommands.name, msg.placeOrder([{ sku: 'SKU-A', quantity: 1 }]), msg.cancelOrder());
    expect(t.orders.get(ORDER_ID)?.state.status).toBe('CANCELLED');
    expect(t.types(OrdersEvents.name)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(t.deadLetters()).toEqual([]); // neither handler failed on the other's message
  });

  it('applies a redelivered message once', async () => {
    const t = await start();
    app = t.app;
    const placed = msg.placeOrder([{ sku: 'SKU-A', quantity: 1 }]);
    await t.send(OrdersCommands.name, placed, placed);
    expect(t.types(OrdersEvents.name)).toEqual(['OrderPlaced']);
    expect(t.types(InventoryCommands.name)).toEqual(['ReserveStock']);
    expect(t.deadLetters()).toEqual([]);
  });

  it('dead-letters a message the saga never produces, with its code, and moves on', async () => {
    const t = await start();
    app = t.app;
    await t.send(OrdersCommands.name, msg.cancelOrder());
    const [dead] = t.deadLetters();
    expect(dead?.headers[DeadLetterHeaders.errorCode]).toBe(OrdersErrors.orderNotFound);
    expect(t.orders.get(ORDER_ID)).toBeUndefined();
  });
});
