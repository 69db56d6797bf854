import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { LedgerCommands, type Envelope } from '@bulwark/contracts';
import {
  AggregateStore,
  KafkaMessageContext,
  OnTopic,
  OutboxRelay,
  type AggregateDocument,
  type ApplyOptions,
} from '@bulwark/messaging';
import type { AccountState } from '../account/account-state';
import { ACCOUNTS, ACCOUNTS_RELAY, APPLY_OPTIONS } from '../tokens';
import { appendEntry, type AppendEntry } from './append-entry.decide';

/**
 * Thin adapter: the pipeline has already validated the schema; apply the decision to the
 * account document once (state + inbox + outbox in one write), then publish the outbox.
 * If publishing fails the events stay in the outbox and the sweeper sends them later; the
 * offset may be committed, because the effect and its events are stored.
 */
@Controller()
export class AppendEntryConsumer {
  private readonly store: AggregateStore<AccountState>;

  constructor(
    @Inject(ACCOUNTS) accounts: Collection<AggregateDocument<AccountState>>,
    @Inject(ACCOUNTS_RELAY) relay: OutboxRelay<AccountState>,
    @Inject(APPLY_OPTIONS) applyOptions: ApplyOptions,
  ) {
    const logger = new Logger('append-entry');
    this.store = new AggregateStore(accounts, relay, applyOptions, 'account', (line) => logger.warn(line));
  }

  @OnTopic(LedgerCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    const command = envelope as AppendEntry;
    await this.store.apply(command, context, (state) => appendEntry(state, command));
  }
}
