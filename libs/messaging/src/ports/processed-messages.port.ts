/**
 * Which message ids a consumer group has already processed: the deduplication middleware's
 * fast path. Not the authority on "applied once" (see middleware/deduplication.middleware.ts).
 */
export interface ProcessedMessages {
  has(group: string, messageId: string): Promise<boolean>;
  /** Idempotent: recording an id twice is not an error. */
  add(group: string, messageId: string): Promise<void>;
}
