import { Module, type DynamicModule } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { HealthModule } from '@bulwark/platform';
import type { AggregateDocument, ApplyOptions, OutboxRelay } from '@bulwark/messaging';
import type { AccountState } from './account/account-state';
import { AppendEntryConsumer } from './append-entry/append-entry.consumer';
import { ACCOUNTS, ACCOUNTS_RELAY, APPLY_OPTIONS } from './tokens';

@Module({})
export class LedgerModule {
  static register(deps: {
    accounts: Collection<AggregateDocument<AccountState>>;
    relay: OutboxRelay<AccountState>;
    applyOptions: ApplyOptions;
  }): DynamicModule {
    return {
      module: LedgerModule,
      imports: [HealthModule],
      controllers: [AppendEntryConsumer],
      providers: [
        { provide: ACCOUNTS, useValue: deps.accounts },
        { provide: ACCOUNTS_RELAY, useValue: deps.relay },
        { provide: APPLY_OPTIONS, useValue: deps.applyOptions },
      ],
    };
  }
}
