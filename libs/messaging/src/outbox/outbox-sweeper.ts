import type { Collection } from 'mongodb';
import type { AggregateDocument } from './aggregate-document';
import type { OutboxRelay } from './outbox-relay';

export interface OutboxSweeperOptions {
  readonly everyMs?: number;
  /** Leave documents written this recently to the inline relay that is probably publishing them. */
  readonly graceMs?: number;
  readonly batch?: number;
  readonly log?: (line: string) => void;
}

/**
 * Republishes outboxes that a crash left unsent: every few seconds, documents whose outbox is
 * not empty and that were last written more than `graceMs` ago. Any replica may sweep any
 * document; a double publish is harmless because consumers dedupe on the envelope id.
 */
export class OutboxSweeper<State> {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly collection: Collection<AggregateDocument<State>>,
    private readonly relay: OutboxRelay<State>,
    private readonly options: OutboxSweeperOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweepOnce().catch((err: unknown) => this.options.log?.(`outbox sweep failed (will retry): ${String(err)}`));
    }, this.options.everyMs ?? 5000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => 0);
  }

  /** One pass; returns how many events were published. */
  async sweepOnce(): Promise<number> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = (async () => {
      const before = new Date(Date.now() - (this.options.graceMs ?? 10_000));
      const docs = await this.collection
        .find({ outboxCount: { $gt: 0 }, updatedAt: { $lt: before } } as never, { projection: { _id: 1 } })
        .limit(this.options.batch ?? 100)
        .toArray();
      let published = 0;
      for (const doc of docs) published += await this.relay.flush(String(doc._id));
      return published;
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }
}
