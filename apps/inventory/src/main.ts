import 'reflect-metadata';
import { ConsumerGroups, InventoryCommands } from '@bulwark/contracts';
import { ensureVersionGuard, OutboxRelay, OutboxSweeper, type AggregateDocument } from '@bulwark/messaging';
import { exitOnFailure, nativeCollection, runApp } from '@bulwark/platform';
import { loadConfig } from './config';
import type { StockState } from './domain/stock-state';
import { InventoryModule } from './inventory.module';

const config = loadConfig();
let sweeper: OutboxSweeper<StockState> | null = null;

runApp({
  name: 'inventory',
  config,
  // FerretDB refuses a write from an outdated read of an aggregate only with this guard.
  prepare: ({ mongo }) => ensureVersionGuard(nativeCollection(mongo, 'stock')),
  module: ({ runtime, mongo, store }) => {
    const stock = nativeCollection<AggregateDocument<StockState>>(mongo, 'stock');
    const relay = new OutboxRelay(stock, runtime.publisher);
    sweeper = new OutboxSweeper(stock, relay, {
      clearsOutbox: store.compareAndSet,
      log: (line) => console.warn(line),
    });
    return InventoryModule.register({
      stock,
      relay,
      applyOptions: { compareAndSet: store.compareAndSet, onConflict: runtime.metrics.writeConflicts('stock') },
    });
  },
  // inventory.commands is keyed by SKU: one member applies a SKU's commands, one after the other.
  consumer: {
    group: ConsumerGroups.inventory,
    topics: [InventoryCommands],
    pipeline: { timeoutMs: config.HANDLER_TIMEOUT_MS, retry: { maxAttempts: config.HANDLER_MAX_ATTEMPTS } },
  },
  started: () => sweeper?.start(),
  stopping: async () => sweeper?.stop(),
}).catch(exitOnFailure);
