import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import {
  ConsumerGroups,
  deadLetterTopic,
  InventoryCommands,
  InventoryEvents,
  InventoryStock,
  type Envelope,
} from '@bulwark/contracts';
import {
  BulwarkKafkaTransport,
  decodeEnvelope,
  defaultMiddleware,
  InMemoryBroker,
  InMemoryPublisher,
  InMemorySubscriber,
  OutboxRelay,
  type AggregateDocument,
} from '@bulwark/messaging';
import { ApiErrorFilter } from '@bulwark/platform';
import type { StockState } from './domain/stock-state';
import { InventoryModule } from './inventory.module';
import { MemoryCollection } from '../../../libs/messaging/test/support/memory-collection';
import { ORDER_1, ORDER_2, SKU, cmd } from '../test/support/stock-messages';

/**
 * The consumers as the runtime drives them (Nest microservice, Bulwark transport on an
 * in-memory broker, standard pipeline, applyOnce, relay). The three commands share
 * inventory.commands: Nest calls every handler, each must apply only its own type.
 */
async function start() {
  const broker = new InMemoryBroker();
  for (const topic of [InventoryCommands, InventoryEvents, InventoryStock]) broker.createTopic(topic.name, 2);
  broker.createTopic(deadLetterTopic(ConsumerGroups.inventory), 1);
  const publisher = new InMemoryPublisher(broker);
  const stock = new MemoryCollection<AggregateDocument<StockState>>(`stock-${Math.random()}`);
  const middleware = defaultMiddleware({
    group: ConsumerGroups.inventory,
    topics: [InventoryCommands],
    rawPublisher: publisher,
    tracing: false,
    retry: { maxAttempts: 1 },
  });
  const app: INestMicroservice = await NestFactory.createMicroservice(
    InventoryModule.register({
      stock: stock.asCollection(),
      relay: new OutboxRelay(stock.asCollection(), publisher),
      applyOptions: { compareAndSet: true },
    }),
    {
      strategy: new BulwarkKafkaTransport(
        new InMemorySubscriber(broker, { log: () => undefined }),
        ConsumerGroups.inventory,
        middleware,
      ),
      logger: false,
    },
  );
  // As runApp does (through the HTTP app): handler errors reach the pipeline with their code.
  app.useGlobalFilters(new ApiErrorFilter());
  await app.listen();
  const send = async (...messages: Envelope[]) => {
    for (const m of messages) {
      await publisher.publish(InventoryCommands.name, [m]);
      await broker.idle();
    }
  };
  const published = (topic: string) => broker.records(topic).map((r) => decodeEnvelope(r.value));
  const deadLetters = () => broker.records(deadLetterTopic(ConsumerGroups.inventory));
  return { stock, app, send, published, deadLetters };
}

describe('inventory consumers (in memory)', () => {
  let app: INestMicroservice | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('routes each command to its own use case and answers orders by order id', async () => {
    const t = await start();
    app = t.app;
    await t.send(cmd.restock(3, 100), cmd.reserve(ORDER_1, 2), cmd.reserve(ORDER_2, 2), cmd.release(ORDER_1));
    expect(t.published(InventoryEvents.name).map((e) => `${e.type} ${e.key}`)).toEqual([
      `StockReserved ${ORDER_1}`,
      `StockRejected ${ORDER_2}`,
      `StockReleased ${ORDER_1}`,
    ]);
    expect(t.stock.get(SKU)?.state).toMatchObject({ available: 3, holds: [] });
    expect(t.deadLetters()).toEqual([]);
  });

  it('publishes each stock level with the version of the document it was written with', async () => {
    const t = await start();
    app = t.app;
    await t.send(cmd.restock(3, 100));
    await t.send(cmd.reserve(ORDER_1, 9)); // rejected: a write without a level change
    await t.send(cmd.reserve(ORDER_1, 1));
    const levels = t.published(InventoryStock.name).map((e) => (e.data as { version: number }).version);
    expect(levels).toEqual([1, 3]);
    expect(t.stock.get(SKU)?.version).toBe(3);
  });
});
