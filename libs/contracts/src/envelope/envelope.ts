import { z } from 'zod';

/**
 * Every message on every topic is this JSON envelope (ARCHITECTURE.md, guarantee 7);
 * `traceparent` travels in a Kafka header, not here. `id` is unique per message and is what
 * consumers deduplicate on; `key` is the aggregate id and the Kafka message key, so all
 * messages about one aggregate stay ordered on one partition.
 */
export interface Envelope<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly version: number;
  readonly id: string;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly key: string;
  readonly data: Data;
}

export const envelopeSchema = z
  .object({
    type: z.string().min(1),
    version: z.number().int().positive(),
    id: z.string().min(1).max(128),
    occurredAt: z.iso.datetime({ offset: true }),
    correlationId: z.string().min(1).max(128),
    causationId: z.string().min(1).max(128).nullable(),
    key: z.string().min(1).max(256),
    data: z.unknown(),
  })
  .strict();
