import 'reflect-metadata';
import { ConsumerGroups, InventoryEvents, OrdersCommands, PaymentsEvents } from '@bulwark/contracts';
import { ensureVersionGuard, OutboxRelay, OutboxSweeper, type AggregateDocument } from '@bulwark/messaging';
import { exitOnFailure, nativeCollection, runApp } from '@bulwark/platform';
import { loadConfig } from './config';
import type { OrderState } from './domain/order-state';
import { OrdersModule } from './orders.module';

const config = loadConfig();
let sweeper: OutboxSweeper<OrderState> | null = null;

runApp({
  name: 'orders',
  config,
  // FerretDB refuses a write from an outdated read of an aggregate only with this guard.
  prepare: ({ mongo }) => ensureVersionGuard(nativeCollection(mongo, 'orders')),
  module: ({ runtime, mongo, store }) => {
    const orders = nativeCollection<AggregateDocument<OrderState>>(mongo, 'orders');
    const relay = new OutboxRelay(orders, runtime.publisher);
    sweeper = new OutboxSweeper(orders, relay, {
      clearsOutbox: store.compareAndSet,
      log: (line) => console.warn(line),
    });
    return OrdersModule.register({
      orders,
      relay,
      applyOptions: { compareAndSet: store.compareAndSet, onConflict: runtime.metrics.writeConflicts('orders') },
    });
  },
  // One group over the three topics keyed by order id: the co-partitioned assignment gives
  // partition p of all three to one member, so each order has one writer (ADR 0005).
  consumer: {
    group: ConsumerGroups.orders,
    topics: [OrdersCommands, InventoryEvents, PaymentsEvents],
    pipeline: { timeoutMs: config.HANDLER_TIMEOUT_MS, retry: { maxAttempts: config.HANDLER_MAX_ATTEMPTS } },
  },
  started: () => sweeper?.start(),
  stopping: async () => sweeper?.stop(),
}).catch(exitOnFailure);
