/** A record exactly as it travels: used to forward a message's original bytes (dead letters, redrive). */
export interface RawRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** Publishes records without decoding or re-encoding them; same acknowledgement rules as Publisher. */
export interface RawPublisher {
  publishRaw(topic: string, records: readonly RawRecord[], options?: { timeoutMs?: number }): Promise<void>;
}
