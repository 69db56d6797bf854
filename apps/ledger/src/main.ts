import 'reflect-metadata';
import { ConsumerGroups, LedgerCommands } from '@bulwark/contracts';
import { ensureVersionGuard, OutboxRelay, OutboxSweeper, type AggregateDocument } from '@bulwark/messaging';
import { exitOnFailure, nativeCollection, runApp } from '@bulwark/platform';
import type { AccountState } from './account/account-state';
import { loadConfig } from './config';
import { LedgerModule } from './ledger.module';

const config = loadConfig();
let sweeper: OutboxSweeper<AccountState> | null = null;

runApp({
  name: 'ledger',
  config,
  // FerretDB refuses a write from an outdated read of an aggregate only with this guard.
  prepare: ({ mongo }) => ensureVersionGuard(nativeCollection(mongo, 'accounts')),
  module: ({ runtime, mongo, store }) => {
    const accounts = nativeCollection<AggregateDocument<AccountState>>(mongo, 'accounts');
    const relay = new OutboxRelay(accounts, runtime.publisher);
    sweeper = new OutboxSweeper(accounts, relay, {
      clearsOutbox: store.compareAndSet,
      log: (line) => console.warn(line),
    });
    return LedgerModule.register({
      accounts,
      relay,
      applyOptions: { compareAndSet: store.compareAndSet, onConflict: runtime.metrics.writeConflicts('accounts') },
    });
  },
  consumer: {
    group: ConsumerGroups.ledger,
    topics: [LedgerCommands],
    pipeline: { timeoutMs: config.HANDLER_TIMEOUT_MS, retry: { maxAttempts: config.HANDLER_MAX_ATTEMPTS } },
  },
  started: () => sweeper?.start(),
  stopping: async () => sweeper?.stop(),
}).catch(exitOnFailure);
