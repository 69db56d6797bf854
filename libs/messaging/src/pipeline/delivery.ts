import type { Envelope } from '@bulwark/contracts';
import { decodeEnvelope } from '../codec/envelope-codec';
import type { Delivery } from '../ports/subscriber.port';

export interface DeliveryFields {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Broker record time; defaults to now for deliveries made up in tests. */
  readonly timestamp?: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly attempt?: number;
  readonly signal?: AbortSignal;
  readonly heartbeat?: () => Promise<void>;
  /** Already decoded (the in-memory transport has the object); skips JSON parsing. */
  readonly envelope?: Envelope;
}

/** Builds a Delivery whose envelope is decoded once, lazily, and shared by every `with()` copy. */
export function createDelivery(fields: DeliveryFields): Delivery {
  const timestamp = fields.timestamp ?? new Date().toISOString();
  const cache: { envelope?: Envelope } = fields.envelope ? { envelope: fields.envelope } : {};
  const build = (attempt: number, headers: Readonly<Record<string, string>>, signal: AbortSignal): Delivery => ({
    group: fields.group,
    topic: fields.topic,
    partition: fields.partition,
    offset: fields.offset,
    timestamp,
    key: fields.key,
    value: fields.value,
    headers,
    attempt,
    signal,
    heartbeat: fields.heartbeat ?? (async () => undefined),
    get envelope(): Envelope {
      cache.envelope ??= decodeEnvelope(fields.value);
      return cache.envelope;
    },
    with(patch) {
      return build(patch.attempt ?? attempt, patch.headers ?? headers, patch.signal ?? signal);
    },
  });
  return build(fields.attempt ?? 1, fields.headers, fields.signal ?? new AbortController().signal);
}
