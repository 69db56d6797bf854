import type { Collection } from 'mongodb';
import type { AggregateDocument } from './aggregate-document';
import type { OutboxRelay } from './outbox-relay';

/**
 * How often a pass runs by default. The sweeper is a backstop for crashes, not the normal path
 * (the inline relay publishes right after each write), and on FerretDB its query decodes every
 * document of the collection: at 5 s, six replicas sweeping put the shared store at 100 % CPU
 * during the crash test and cut the ledger's throughput threefold.
 */
const DEFAULT_EVERY_MS = 30_000;

export interface OutboxSweeperOptions {
  readonly everyMs?: number;
  /** Leave documents written this recently to the inline relay that is probably publishing them. */
  readonly graceMs?: number;
  readonly batch?: number;
  /**
   * May the sweeper remove what it published from the document (default true)? Only where
   * single-document updates are atomic against each other (MongoDB: store.compareAndSet). On
   * FerretDB an update is read-modify-write without isolation, and the sweeper runs on a
   * replica that need not own the key: its clean-up could overwrite the owner's concurrent
   * write (the crash test lost an effect that way). There it only publishes, remembers what it
   * sent so an idle document is not republished every pass, and the owner's next write
   * clears the entries (its relay publishes the whole outbox again: consumers dedupe).
   */
  readonly clearsOutbox?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Republishes outboxes that a crash left unsent: every few seconds, documents whose outbox is
 * not empty and that were last written more than `graceMs` ago. Any replica may sweep any
 * document; a double publish is harmless because consumers dedupe on the envelope id.
 * Whether it may also clear the outbox depends on the store: see `clearsOutbox`.
 */
export class OutboxSweeper<State> {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  /** key -> id of the last outbox entry this process published without clearing it. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly collection: Collection<AggregateDocument<State>>,
    private readonly relay: OutboxRelay<State>,
    private readonly options: OutboxSweeperOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweepOnce().catch((err: unknown) => this.options.log?.(`outbox sweep failed (will retry): ${String(err)}`));
    }, this.options.everyMs ?? DEFAULT_EVERY_MS);
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
      const clears = this.options.clearsOutbox ?? true;
      const found = this.collection.find({ outboxCount: { $gt: 0 }, updatedAt: { $lt: before } } as never, {
        projection: { _id: 1 },
      });
      // Without clearing, documents already sent stay in the result: a batch limit would starve the rest.
      const docs = await (clears ? found.limit(this.options.batch ?? 100) : found).toArray();
      let published = 0;
      if (clears) {
        for (const doc of docs) published += await this.relay.flush(String(doc._id));
        return published;
      }
      const seen = new Set<string>();
      for (const doc of docs) {
        const key = String(doc._id);
        seen.add(key);
        const entries = await this.relay.publishOnly(key, this.sent.get(key));
        const last = entries.at(-1);
        if (last) this.sent.set(key, last.envelope.id);
        published += entries.length;
      }
      // Forget documents whose outbox the owner has cleared meanwhile.
      for (const key of [...this.sent.keys()]) if (!seen.has(key)) this.sent.delete(key);
      return published;
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }
}
