import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import { InventoryStock, OrdersEvents, type Envelope } from '@bulwark/contracts';
import { MessagingError, newEnvelope, type Publisher } from '@bulwark/messaging';
import { createHttpApp } from '@bulwark/platform';
import { signToken } from '../../src/auth/jwt';
import type { Role } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { IngressModule } from '../../src/ingress.module';
import { ProjectOrderEventsConsumer } from '../../src/project-order-events/project-order-events.consumer';
import { ProjectStockLevelsConsumer } from '../../src/project-stock-levels/project-stock-levels.consumer';
import { inMemoryDatabase } from './in-memory-collection';

/** Records what would have gone to Kafka; `failing` makes it refuse like a broker outage does. */
export class RecordingPublisher implements Publisher {
  readonly published: { topic: string; envelope: Envelope }[] = [];
  failing = false;

  async publish(topic: string, messages: readonly Envelope[]): Promise<void> {
    if (this.failing) throw new MessagingError('BLW_BROKER_UNAVAILABLE', 'no in-sync replicas', true);
    messages.forEach((envelope) => this.published.push({ topic, envelope }));
  }
}

/**
 * The whole ingress HTTP app (NestJS 12 on Fastify, the platform's filter and JSON-only rule)
 * on a real port, with an in-memory store and a recording publisher instead of infrastructure.
 * Events are projected by calling the projection consumers, as the transport would.
 */
export async function startIngress(env: Record<string, string> = {}) {
  const config = loadConfig({
    KAFKA_BROKERS: 'unused:9092',
    MONGO_URL: 'mongodb://unused/ingress',
    DEV_TOKENS: 'true',
    ...env,
  });
  const db = inMemoryDatabase();
  const publisher = new RecordingPublisher();
  const app: NestFastifyApplication = await createHttpApp(
    IngressModule.register({ config, publisher, mongo: db.connection as unknown as Connection }),
    { jsonOnly: true, bodyLimitBytes: config.BODY_LIMIT_BYTES },
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const orders = app.get(ProjectOrderEventsConsumer);
  const stock = app.get(ProjectStockLevelsConsumer);
  let eventSeq = 0;

  return {
    app,
    url,
    db,
    publisher,
    config,
    token: async (sub: string, role: Role = 'customer') => (await signToken(config.JWT_SECRET, { sub, role })).token,
    request: (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json) });
    },
    /** Projects one orders.events event (type + data without the ids), as the consumer group would. */
    projectOrder: async (
      orderId: string,
      customerId: string,
      type: keyof typeof OrdersEvents.messages,
      data: Record<string, unknown> = {},
    ) => {
      const envelope = newEnvelope(OrdersEvents.messages[type], orderId, { orderId, customerId, ...data } as never, null, {
        now: () => new Date(Date.parse('2026-01-01T00:00:00Z') + ++eventSeq * 1000),
      });
      await orders.handle(envelope);
      return envelope;
    },
    projectStock: async (data: { sku: string; available: number; reserved: number; priceCents: number; version: number }) =>
      stock.handle(newEnvelope(InventoryStock.messages.StockLevelChanged, data.sku, data, null)),
    close: () => app.close(),
  };
}

export type Ingress = Awaited<ReturnType<typeof startIngress>>;
