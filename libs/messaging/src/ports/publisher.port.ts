import type { Envelope } from '@bulwark/contracts';

export interface PublishOptions {
  /** Give up (with a retriable error) if Kafka has not acknowledged by then. */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Publishes envelopes to a topic. Resolves only once the broker acknowledged every message
 * with acks=all; rejects with a MessagingError whose `retriable` says whether trying again
 * can help. No Kafka-client type crosses this boundary.
 */
export interface Publisher {
  publish(topic: string, messages: readonly Envelope[], options?: PublishOptions): Promise<void>;
}
export const PUBLISHER = Symbol('bulwark.Publisher');
