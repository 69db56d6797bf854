import { createHash } from 'node:crypto';
import type { DataOf, Envelope, TopicDeclaration } from '@bulwark/contracts';
import type { OutboxEntry } from '../outbox/aggregate-document';
import { causedBy, newEnvelope } from './new-envelope';

/**
 * The messages one incoming message causes, in the order they are emitted. Each id is
 * UUIDv5(service namespace, "<cause id>:<index>") and each time is the cause's, so handling the
 * same message against the same state again (a replay, a retried write) emits byte-identical
 * envelopes that every consumer deduplicates. Each entry names its own topic and key: one
 * decision may answer on several topics. A service passes its own namespace so the same cause
 * handled by two services yields different ids.
 */
export interface CausedEvents {
  emit<T extends TopicDeclaration, K extends keyof T['messages'] & string>(
    topic: T,
    type: K,
    key: string,
    data: DataOf<T['messages'][K]>,
  ): void;
  readonly entries: readonly OutboxEntry[];
}

export function causedEvents(namespace: string, cause: Envelope): CausedEvents {
  const entries: OutboxEntry[] = [];
  return {
    entries,
    emit(topic, type, key, data) {
      const declaration = topic.messages[type];
      if (!declaration) throw new Error(`${type} is not declared on ${topic.name}`);
      const index = entries.length;
      const envelope = newEnvelope(declaration, key, data as never, causedBy(cause), {
        id: () => derivedId(namespace, cause.id, index),
        now: () => new Date(cause.occurredAt),
      });
      entries.push({ topic: topic.name, envelope, headers: {} });
    },
  };
}

/** RFC 9562 UUIDv5 of `<causeId>:<index>` in `namespace` (a UUID). */
export function derivedId(namespace: string, causeId: string, index: number): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(`${causeId}:${index}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
