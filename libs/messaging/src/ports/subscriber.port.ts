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
  /** Currently a member with an assignment (possibly empty when replicas > partitions); false while rebalancing. */
  readonly joined: boolean;
  /** Has joined at least once since start; rebalances later on are routine and do not undo it. */
  readonly everJoined: boolean;
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
