import { randomUUID } from 'node:crypto';
import { envelopeSchema, issuePaths, type Envelope, type MessageDeclaration, type DataOf } from '@bulwark/contracts';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import { currentCausation } from '../middleware/correlation.middleware';

export interface Causation {
  readonly correlationId: string;
  readonly causationId: string | null;
}

/**
 * Builds a validated envelope for a declared message type. Validation at the producer means
 * nothing invalid ever reaches Kafka. The clock and id generator are injectable for tests.
 * Without a causation, one produced inside a handler is caused by the message being handled
 * (correlation middleware); pass null explicitly to start a new correlation.
 */
export function newEnvelope<M extends MessageDeclaration>(
  declaration: M,
  key: string,
  data: DataOf<M>,
  causation: Causation | null = currentCausation(),
  deps: { now?: () => Date; id?: () => string } = {},
): Envelope<M['type'], DataOf<M>> {
  const id = (deps.id ?? randomUUID)();
  const parsed = declaration.schema.safeParse(data);
  if (!parsed.success) {
    const fields = issuePaths(parsed.error, '(data)')
      .map((i) => i.path)
      .join(', ');
    throw new MessagingError(
      MessagingErrorCodes.invalidMessage,
      `${declaration.type} data is invalid (fields: ${fields})`,
      false,
    );
  }
  const envelope: Envelope<M['type'], DataOf<M>> = {
    type: declaration.type,
    version: declaration.version,
    id,
    occurredAt: (deps.now ?? (() => new Date()))().toISOString(),
    correlationId: causation?.correlationId ?? id,
    causationId: causation?.causationId ?? null,
    key,
    data: parsed.data as DataOf<M>,
  };
  // The same check every consumer makes on decode: nothing a consumer would reject is ever sent.
  const checked = envelopeSchema.safeParse(envelope);
  if (!checked.success) {
    const fields = issuePaths(checked.error)
      .map((i) => i.path)
      .join(', ');
    throw new MessagingError(
      MessagingErrorCodes.invalidMessage,
      `${declaration.type} envelope is invalid (fields: ${fields})`,
      false,
    );
  }
  return envelope;
}

/** The causation for messages produced while handling `cause`. */
export function causedBy(cause: Envelope): Causation {
  return { correlationId: cause.correlationId, causationId: cause.id };
}
