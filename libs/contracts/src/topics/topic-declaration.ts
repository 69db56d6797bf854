import type { z } from 'zod';
import type { Envelope } from '../envelope/envelope';

/** One message type on a topic: its name, schema version and runtime schema for `data`. */
export interface MessageDeclaration<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
}

/**
 * A topic declared once, with everything needed to create it and to validate what flows
 * through it. Partitions are explicit: changing them later remaps keys to partitions and
 * breaks per-key ordering for messages in flight, so it is a migration, not an edit.
 */
export interface TopicDeclaration<
  Name extends string = string,
  Messages extends Record<string, MessageDeclaration> = Record<string, MessageDeclaration>,
> {
  readonly name: Name;
  readonly partitions: number;
  readonly messages: Messages;
  /** Extra topic configs (retention, compaction); replication settings are fixed platform-wide. */
  readonly config?: Readonly<Record<string, string>>;
}

export const DEFAULT_PARTITIONS = 12;

/** Guarantees every topic is created with; the supervisor refuses to run with anything weaker. */
export const REPLICATION = {
  replicationFactor: 3,
  minInsyncReplicas: 2,
  uncleanLeaderElection: false,
} as const;

export function message<const Type extends string, Schema extends z.ZodType>(
  type: Type,
  version: number,
  schema: Schema,
): MessageDeclaration<Type, Schema> {
  return { type, version, schema };
}

export function declareTopic<const Name extends string, const Messages extends Record<string, MessageDeclaration>>(
  topic: Omit<TopicDeclaration<Name, Messages>, 'partitions'> & { partitions?: number },
): TopicDeclaration<Name, Messages> {
  return { ...topic, partitions: topic.partitions ?? DEFAULT_PARTITIONS };
}

export type DataOf<M> = M extends MessageDeclaration<string, infer S> ? z.output<S> : never;

/** The envelope of any message declared on a topic, discriminated by `type`. */
export type EnvelopeOf<T extends TopicDeclaration> = {
  [K in keyof T['messages']]: Envelope<T['messages'][K]['type'], DataOf<T['messages'][K]>>;
}[keyof T['messages']];
