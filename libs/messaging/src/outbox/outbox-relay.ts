import type { Collection } from 'mongodb';
import type { Publisher } from '../ports/publisher.port';
import type { AggregateDocument, OutboxEntry } from './aggregate-document';
import { writerLock } from './writer-lock';

/**
 * Publishes a document's outbox and then removes exactly the entries it published. If it
 * crashes in between, the entries stay and are published again later: consumers dedupe on the
 * envelope id.
 */
export class OutboxRelay<State> {
  constructor(
    private readonly collection: Collection<AggregateDocument<State>>,
    private readonly publisher: Publisher,
  ) {}

  /**
   * Publishes what `key`'s outbox holds, then removes exactly those entries ($pullAll of their
   * values, so entries appended meanwhile stay); returns how many events went out. Pass the
   * document applyOnce just wrote to save a read (on FerretDB every round trip counts).
   */
  async flush(key: string, written?: AggregateDocument<State>): Promise<number> {
    const doc = written ?? ((await this.collection.findOne({ _id: key } as never)) as AggregateDocument<State> | null);
    if (!doc || doc.outbox.length === 0) return 0;
    await this.publishInOrder(doc.outbox);
    // The clean-up is a write to the aggregate: it takes the writer lock like applyOnce does.
    // If it fails the events are out but stay listed: they go again with the next flush, and
    // consumers dedupe them. Say so, rather than "not published".
    await writerLock(this.collection.namespace)
      .run(key, async () => {
        const after = (await this.collection.findOneAndUpdate(
          { _id: key } as never,
          { $pullAll: { outbox: doc.outbox }, $inc: { outboxCount: -doc.outbox.length } } as never,
          // No projection: FerretDB does not implement findAndModify's `fields`.
          { returnDocument: 'after' },
        )) as Pick<AggregateDocument<State>, 'outbox' | 'outboxCount'> | null;
        // The count drives the sweeper: if it ever disagrees with the entries (a value that did
        // not compare equal), the entries win.
        if (after && after.outboxCount !== after.outbox.length) {
          await this.collection.updateOne({ _id: key } as never, { $set: { outboxCount: after.outbox.length } } as never);
        }
      })
      .catch((err: unknown) => {
        throw new Error(`outbox of ${key} published; clearing it failed, so it will be sent again: ${String(err)}`, {
          cause: err,
        });
      });
    return doc.outbox.length;
  }

  /**
   * Publishes what `key`'s outbox holds without touching the document; returns the entries
   * sent (none when its last entry is `unlessLastIs`: sent before). For a process that does not own the key (see OutboxSweeper): consumers dedupe the
   * copies, and the owner's next write clears them.
   */
  async publishOnly(key: string, unlessLastIs?: string): Promise<readonly OutboxEntry[]> {
    const doc = (await this.collection.findOne({ _id: key } as never)) as AggregateDocument<State> | null;
    if (!doc || doc.outbox.length === 0) return [];
    if (unlessLastIs !== undefined && doc.outbox.at(-1)?.envelope.id === unlessLastIs) return [];
    await this.publishInOrder(doc.outbox);
    return doc.outbox;
  }

  /** One publish per run of same-topic entries keeps their order and batches them. */
  private async publishInOrder(entries: readonly OutboxEntry[]): Promise<void> {
    let i = 0;
    while (i < entries.length) {
      const first = entries[i] as OutboxEntry;
      let j = i;
      while (j < entries.length && entries[j]?.topic === first.topic && sameHeaders(entries[j] as OutboxEntry, first)) j++;
      const run = entries.slice(i, j);
      await this.publisher.publish(
        first.topic,
        run.map((e) => e.envelope),
        { headers: first.headers },
      );
      i = j;
    }
  }
}

function sameHeaders(a: OutboxEntry, b: OutboxEntry): boolean {
  return JSON.stringify(a.headers) === JSON.stringify(b.headers);
}
