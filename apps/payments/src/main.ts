import 'reflect-metadata';
import { ConsumerGroups, PaymentsCommands } from '@bulwark/contracts';
import { ensureVersionGuard, OutboxRelay, OutboxSweeper, type AggregateDocument } from '@bulwark/messaging';
import { exitOnFailure, nativeCollection, runApp } from '@bulwark/platform';
import { loadConfig } from './config';
import type { PaymentState } from './domain/payment-state';
import { PaymentsModule } from './payments.module';

const config = loadConfig();
let sweeper: OutboxSweeper<PaymentState> | null = null;

runApp({
  name: 'payments',
  config,
  // FerretDB refuses a write from an outdated read of an aggregate only with this guard.
  prepare: ({ mongo }) => ensureVersionGuard(nativeCollection(mongo, 'payments')),
  module: ({ runtime, mongo, store }) => {
    const payments = nativeCollection<AggregateDocument<PaymentState>>(mongo, 'payments');
    const relay = new OutboxRelay(payments, runtime.publisher);
    sweeper = new OutboxSweeper(payments, relay, {
      clearsOutbox: store.compareAndSet,
      log: (line) => console.warn(line),
    });
    return PaymentsModule.register({
      payments,
      relay,
      applyOptions: { compareAndSet: store.compareAndSet, onConflict: runtime.metrics.writeConflicts('payments') },
    });
  },
  consumer: {
    group: ConsumerGroups.payments,
    topics: [PaymentsCommands],
    pipeline: { timeoutMs: config.HANDLER_TIMEOUT_MS, retry: { maxAttempts: config.HANDLER_MAX_ATTEMPTS } },
  },
  started: () => sweeper?.start(),
  stopping: async () => sweeper?.stop(),
}).catch(exitOnFailure);
