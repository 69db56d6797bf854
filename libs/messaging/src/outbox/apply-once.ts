import type { Collection } from 'mongodb';
import type { AggregateDocument, AppliedPosition, OutboxEntry } from './aggregate-document';
import { isStaleWrite } from './version-guard';
import { writerLock } from './writer-lock';

export interface IncomingRef {
  /** The message's envelope id: what the inbox remembers. */
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** What a handler decides for one message: the new state and the events to publish; null = no change. */
export interface Decision<State> {
  readonly state: State;
  readonly events: readonly OutboxEntry[];
}

export type ApplyResult<State> =
  | { readonly status: 'applied'; readonly document: AggregateDocument<State> }
  /** This message id was applied before (redelivery, replay): nothing changed. */
  | { readonly status: 'duplicate' }
  /** An offset at or below one already applied from the same partition: a zombie's stale delivery. */
  | { readonly status: 'fenced' }
  | { readonly status: 'unchanged' };

/**
 * Why a write lost to another writer of the same key and was computed again: the version moved
 * under a conditional write (MongoDB), the store's version guard refused it (FerretDB), or a
 * first write raced another first write. A few during a rebalance are normal; a steady rate
 * means two replicas write the same keys (a zombie, or partitions moving back and forth).
 */
export type WriteConflict = 'version_changed' | 'stale_write' | 'created_concurrently';

export interface ApplyOptions {
  /**
   * How many message ids each document remembers (default 64). Redeliveries from the same
   * partition are caught by the positions whatever their age; the inbox catches the same message
   * published twice (a producer retry), which lands close behind the first copy.
   */
  readonly inboxSize?: number;
  readonly now?: () => Date;
  /**
   * Condition the write on the version read (true: MongoDB). false for stores where a compound
   * filter is slow and not atomic anyway (FerretDB); see storeCapabilities in libs/platform.
   */
  readonly compareAndSet?: boolean;
  /** Told of each lost write before it is computed again (for the metrics). */
  readonly onConflict?: (reason: WriteConflict) => void;
}

const MAX_CONFLICTS = 50;

/**
 * Applies one message to one aggregate exactly once: reads the document, skips the message if
 * its id is in the inbox or its offset is not newer than the last one applied from its
 * partition (fencing a replica that lost the partition while frozen), asks `decide` for the new
 * state and events, and writes state + inbox + position + outbox in ONE update conditioned on
 * the version it read (compareAndSet). A concurrent writer makes the condition fail; then it
 * reads again. On FerretDB, which cannot condition a write cheaply, the collection's version
 * guard (version-guard.ts) refuses a write computed from an outdated read; then it reads again too.
 * Errors from the store propagate (the pipeline treats them as transient and retries).
 * Read, decide and write hold this process's writer lock for the key (see writer-lock.ts): an
 * earlier attempt still writing (a timeout does not cancel it) finishes before the next reads.
 */
export async function applyOnce<State>(
  collection: Collection<AggregateDocument<State>>,
  key: string,
  incoming: IncomingRef,
  decide: (state: State | null) => Decision<State> | null,
  options: ApplyOptions = {},
): Promise<ApplyResult<State>> {
  return writerLock(collection.namespace).run(key, () => applyLocked(collection, key, incoming, decide, options));
}

async function applyLocked<State>(
  collection: Collection<AggregateDocument<State>>,
  key: string,
  incoming: IncomingRef,
  decide: (state: State | null) => Decision<State> | null,
  options: ApplyOptions,
): Promise<ApplyResult<State>> {
  const inboxSize = options.inboxSize ?? 64;
  const now = options.now ?? (() => new Date());
  const source = `${incoming.topic}:${incoming.partition}`;
  const compareAndSet = options.compareAndSet ?? true;
  const conflict = (reason: WriteConflict) => options.onConflict?.(reason);
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const current = (await collection.findOne({ _id: key } as never)) as AggregateDocument<State> | null;
    if (current?.inbox.includes(incoming.id)) return { status: 'duplicate' };
    const applied = current?.positions.find((p) => p.source === source);
    if (applied && BigInt(applied.offset) >= BigInt(incoming.offset)) return { status: 'fenced' };

    const decision = decide(current?.state ?? null);
    const positions: AppliedPosition[] = [
      ...(current?.positions ?? []).filter((p) => p.source !== source),
      { source, offset: incoming.offset },
    ];
    const inbox = [...(current?.inbox ?? []), incoming.id].slice(-inboxSize);
    const events = decision?.events ?? [];
    const version = (current?.version ?? 0) + 1;
    const state = decision ? decision.state : (current?.state as State);
    if (!current) {
      if (!decision) return { status: 'unchanged' };
      const created: AggregateDocument<State> = {
        _id: key,
        state,
        version,
        inbox,
        positions,
        outbox: events,
        outboxCount: events.length,
        updatedAt: now(),
      };
      try {
        await collection.insertOne(created as never);
        return { status: 'applied', document: created };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        conflict('created_concurrently'); // another writer created it first: read again
        continue;
      }
    }
    // The outbox only grows here ($push) and only shrinks in the relay ($pullAll), so neither
    // write can drop what the other added.
    const update: Record<string, unknown> = { $set: { state, version, inbox, positions, updatedAt: now() } };
    if (events.length > 0) {
      update.$push = { outbox: { $each: events } };
      update.$inc = { outboxCount: events.length };
    }
    const filter = compareAndSet ? { _id: key, version: current.version } : { _id: key };
    let result;
    try {
      result = await collection.updateOne(filter as never, update as never);
    } catch (err) {
      // FerretDB's version guard (version-guard.ts): another writer got there first. Read again;
      // what it applied is in the inbox and positions, so this message is then fenced or redone.
      if (!isStaleWrite(err)) throw err;
      conflict('stale_write');
      continue;
    }
    if (result.matchedCount === 1) {
      if (!decision) return { status: 'unchanged' };
      return {
        status: 'applied',
        document: {
          ...current,
          state,
          version,
          inbox,
          positions,
          outbox: [...current.outbox, ...events],
          outboxCount: current.outboxCount + events.length,
        },
      };
    }
    if (!compareAndSet) throw Object.assign(new Error(`aggregate ${key} vanished while being written`), { retriable: true });
    conflict('version_changed');
  }
  throw Object.assign(new Error(`too many concurrent writes to ${key}`), { code: 'BLW_WRITE_CONFLICT', retriable: true });
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}
