/** The first response to a request, answered again to every retry with the same key and body. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly location: string;
}

/**
 * One Idempotency-Key of one subject (`_id` = `${sub}:${key}`), in `idempotency_keys`. Created
 * with insertOne (the only atomic primitive FerretDB has), later changed by `_id` only. The
 * command's ids are chosen once and kept, so a retry after a failed or abandoned attempt
 * republishes the SAME command, which downstream deduplication absorbs if it had got through.
 */
export interface IdempotencyRecord {
  readonly _id: string;
  /** Bumped by each take-over; a take-over is claimed by an insertOne (see idempotency-store.ts). */
  readonly generation: number;
  readonly fingerprint: string;
  readonly state: 'in-flight' | 'completed' | 'failed';
  readonly orderId: string;
  readonly commandId: string;
  /** The command's occurredAt. */
  readonly commandAt: string;
  /** When this generation started processing (ISO): in flight for longer means its replica died. */
  readonly startedAt: string;
  /** First use + IDEMPOTENCY_TTL_SECONDS (ISO). */
  readonly expiresAt: string;
  readonly response?: StoredResponse;
}
