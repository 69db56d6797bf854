import type { IdempotencyRecord, StoredResponse } from './idempotency-record';

/** An attempt in flight longer than this is presumed dead (its replica crashed) and may be taken over. */
export const IN_FLIGHT_TIMEOUT_MS = 30_000;

export type IdempotencyDecision =
  /** No record: create one and process the request. */
  | { readonly kind: 'create' }
  /** Same key, same body, first attempt finished: answer its response again. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** Same key, first attempt still being processed: 409 with Retry-After 1. */
  | { readonly kind: 'in-flight' }
  /** Same key, another body: 422. */
  | { readonly kind: 'mismatch' }
  /**
   * Process it under this key after all: the record expired, its attempt failed (Kafka refused,
   * 503), or its replica died mid-way. `reuseCommand`: publish the recorded command again
   * (same order id and command id) rather than a new one, because the earlier attempt may
   * have reached Kafka after all.
   */
  | { readonly kind: 'take-over'; readonly reuseCommand: boolean };

/** The draft-ietf-httpapi-idempotency-key-header rules of ADR 0005, as a pure function. */
export function decideIdempotency(
  record: IdempotencyRecord | null,
  fingerprint: string,
  now: Date,
  inFlightTimeoutMs = IN_FLIGHT_TIMEOUT_MS,
): IdempotencyDecision {
  if (!record) return { kind: 'create' };
  if (now.getTime() >= Date.parse(record.expiresAt)) return { kind: 'take-over', reuseCommand: false };
  // A failed attempt is as good as no record (the ADR: "the record is removed"), except that
  // the same body keeps its command ids in case the "failure" was a lost acknowledgement.
  if (record.state === 'failed') return { kind: 'take-over', reuseCommand: record.fingerprint === fingerprint };
  if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (record.state === 'completed' && record.response) return { kind: 'replay', response: record.response };
  if (now.getTime() - Date.parse(record.startedAt) > inFlightTimeoutMs) return { kind: 'take-over', reuseCommand: true };
  return { kind: 'in-flight' };
}
