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
 * Every change to it is one single-document write guarded by `version` (compare-and-set), so
 * state, inbox and outbox can never disagree, without multi-document transactions.
 */
export interface AggregateDocument<State> {
  readonly _id: string;
  readonly state: State;
  readonly version: number;
  readonly inbox: readonly string[];
  readonly positions: readonly AppliedPosition[];
  readonly outbox: readonly OutboxEntry[];
  /** true while the outbox holds entries: what the sweeper looks for. */
  readonly pendingOutbox: boolean;
  readonly updatedAt: Date;
}
