import type { Collection } from 'mongodb';
import type { Envelope } from '@bulwark/contracts';
import type { KafkaMessageContext } from '../nest/kafka-transport.strategy';
import type { AggregateDocument } from './aggregate-document';
import { applyOnce, type ApplyOptions, type ApplyResult, type Decision } from './apply-once';
import type { OutboxRelay } from './outbox-relay';

/**
 * The one way a consumer changes an aggregate: apply the decision once (state + inbox + outbox
 * in one write, keyed by the message's key), then publish the outbox. If publishing fails the
 * events stay in the outbox and the sweeper sends them later; the offset may still be
 * committed, because the effect and its events are stored.
 */
export class AggregateStore<State> {
  constructor(
    private readonly collection: Collection<AggregateDocument<State>>,
    private readonly relay: OutboxRelay<State>,
    private readonly options: ApplyOptions,
    /** What the aggregate is called in log lines ("order", "SKU"). */
    private readonly noun: string,
    private readonly warn: (line: string) => void,
  ) {}

  async apply(
    message: Envelope,
    context: KafkaMessageContext,
    decide: (state: State | null) => Decision<State> | null,
  ): Promise<ApplyResult<State>> {
    const result = await applyOnce(
      this.collection,
      message.key,
      { id: message.id, topic: context.getTopic(), partition: context.getPartition(), offset: context.getOffset() },
      decide,
      this.options,
    );
    if (result.status === 'applied') {
      await this.relay.flush(message.key, result.document).catch((err: unknown) => {
        this.warn(`outbox of ${this.noun} ${message.key} not sent (the sweeper or the next write will): ${String(err)}`);
      });
    }
    return result;
  }
}
