import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { LedgerCommands, type Envelope } from '@bulwark/contracts';
import {
  applyOnce,
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
  private readonly logger = new Logger('append-entry');

  constructor(
    @Inject(ACCOUNTS) private readonly accounts: Collection<AggregateDocument<AccountState>>,
    @Inject(ACCOUNTS_RELAY) private readonly relay: OutboxRelay<AccountState>,
    @Inject(APPLY_OPTIONS) private readonly applyOptions: ApplyOptions,
  ) {}

  @OnTopic(LedgerCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    const command = envelope as AppendEntry;
    const result = await applyOnce(
      this.accounts,
      command.key,
      { id: command.id, topic: context.getTopic(), partition: context.getPartition(), offset: context.getOffset() },
      (state) => appendEntry(state, command),
      this.applyOptions,
    );
    if (result.status !== 'applied') return;
    await this.relay.flush(command.key, result.document).catch((err: unknown) => {
      this.logger.warn(`outbox of ${command.key} not published yet (the sweeper will retry): ${String(err)}`);
    });
  }
}
