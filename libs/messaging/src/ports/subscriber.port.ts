import type { Envelope } from '@bulwark/contracts';

export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Keeps group membership alive during long work. */
  heartbeat(): Promise<void>;
}

export type MessageHandler = (message: Envelope, context: MessageContext) => Promise<void>;

export interface Subscription {
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
}

export interface SubscriptionHealth {
  readonly group: string;
  /** Joined the group and holds an assignment (possibly empty when replicas > partitions). */
  readonly joined: boolean;
  /** The consumer stopped for good; liveness must fail so the supervisor restarts the process. */
  readonly crashed: boolean;
  readonly assignedPartitions: number;
}

/** Runs handlers for subscriptions in consumer groups; offsets commit only after the handler resolved. */
export interface Subscriber {
  subscribe(subscription: Subscription): Promise<void>;
  health(): readonly SubscriptionHealth[];
  close(): Promise<void>;
}
