import { randomUUID } from 'node:crypto';
import type { Envelope, MessageDeclaration, DataOf } from '@bulwark/contracts';

export interface Causation {
  readonly correlationId: string;
  readonly causationId: string | null;
}

/**
 * Builds a validated envelope for a declared message type. Validation at the producer means
 * nothing invalid ever reaches Kafka. The clock and id generator are injectable for tests.
 */
export function newEnvelope<M extends MessageDeclaration>(
  declaration: M,
  key: string,
  data: DataOf<M>,
  causation: Causation | null = null,
  deps: { now?: () => Date; id?: () => string } = {},
): Envelope<M['type'], DataOf<M>> {
  const id = (deps.id ?? randomUUID)();
  const parsed = declaration.schema.parse(data) as DataOf<M>;
  return {
    type: declaration.type,
    version: declaration.version,
    id,
    occurredAt: (deps.now ?? (() => new Date()))().toISOString(),
    correlationId: causation?.correlationId ?? id,
    causationId: causation?.causationId ?? null,
    key,
    data: parsed,
  };
}

/** The causation for messages produced while handling `cause`. */
export function causedBy(cause: Envelope): Causation {
  return { correlationId: cause.correlationId, causationId: cause.id };
}
