import type { Envelope } from '@bulwark/contracts';

/**
 * What a handler gets besides the envelope: where the message came from, how many times it
 * has been tried, a signal that fires when the partition is revoked or the consumer stops
 * (stop waiting and give up the message: the next owner redelivers it), and a heartbeat for
 * long work.
 */
export interface MessageContext {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /**
   * When the broker recorded the message (ISO 8601): the time its effects happen at. Kept in
   * the log, so a replay sees the same value, and each hop of a saga gets its own time.
   */
  readonly timestamp: string;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on first delivery; the retry middleware counts up. */
  readonly attempt: number;
  readonly signal: AbortSignal;
  heartbeat(): Promise<void>;
}

export type MessageHandler = (message: Envelope, context: MessageContext) => Promise<void>;

/**
 * One message as the pipeline sees it: the context plus the raw record, and the envelope
 * decoded on first access (a message that is not a valid envelope throws a permanent
 * BLW_INVALID_MESSAGE there, so dead-lettering sees it like any other poison message).
 */
export interface Delivery extends MessageContext {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly envelope: Envelope;
  /** The same delivery with some fields replaced (the decoded envelope is shared). */
  with(patch: Partial<Pick<Delivery, 'attempt' | 'headers' | 'signal'>>): Delivery;
}

/** A step of the pipeline; middleware is composed outermost first. */
export type Next = (delivery: Delivery) => Promise<void>;
export type Middleware = (next: Next) => Next;

export interface Subscription {
  /** Used verbatim as the Kafka group id: declare it in libs/contracts, never derive it. */
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  /** Outermost first; see libs/messaging/src/pipeline/default-pipeline.ts for the standard order. */
  readonly middleware?: readonly Middleware[];
}

export interface SubscriptionHealth {
  readonly group: string;
  /** Currently a member with an assignment (possibly empty when replicas > partitions); false while rebalancing. */
  readonly joined: boolean;
  /** Has joined at least once since start; rebalances later on are routine and do not undo it. */
  readonly everJoined: boolean;
  /** The consumer stopped for good; liveness must fail so the supervisor restarts the process. */
  readonly crashed: boolean;
  readonly assignedPartitions: number;
  /** Messages waiting behind a partition that has made no progress for a while (a stuck handler or store). */
  readonly stalled: boolean;
}

/** Runs handlers for subscriptions in consumer groups; offsets commit only after the handler resolved. */
export interface Subscriber {
  subscribe(subscription: Subscription): Promise<void>;
  health(): readonly SubscriptionHealth[];
  close(): Promise<void>;
}
