import type { Envelope } from '@bulwark/contracts';

/** An event waiting in a document's outbox, with the headers (traceparent) it must carry. */
export interface OutboxEntry {
  readonly topic: string;
  readonly envelope: Envelope;
  readonly headers: Readonly<Record<string, string>>;
}

/** The last offset applied from one partition; messages at or below it are stale (a zombie's). */
export interface AppliedPosition {
  readonly source: string; // "<topic>:<partition>" — a value, not a key: FerretDB forbids "." in keys
  readonly offset: string;
}

/**
 * One aggregate in one document: its state, the ids of the messages applied to it (the inbox),
 * the last offset applied per source partition, and the events still to publish (the outbox).
 * Every change to it is one single-document write, so state, inbox and outbox can never
 * disagree, without multi-document transactions. On MongoDB the write is also guarded by
 * `version` (compare-and-set). FerretDB can neither push a compound filter down to SQLite (a
 * `{_id, version}` filter scans the whole collection: ~100x slower) nor make find-then-write
 * atomic, so there the guard is the Kafka partition: one consumer per key at a time, with
 * the position check below fencing a replica that lost its partitions (see docs/adr/0004).
 */
export interface AggregateDocument<State> {
  readonly _id: string;
  readonly state: State;
  readonly version: number;
  readonly inbox: readonly string[];
  readonly positions: readonly AppliedPosition[];
  readonly outbox: readonly OutboxEntry[];
  /** Entries in the outbox, kept by $inc next to each $push/$pullAll: what the sweeper looks for. */
  readonly outboxCount: number;
  readonly updatedAt: Date;
}
