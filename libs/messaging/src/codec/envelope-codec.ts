import { envelopeSchema, issuePaths, type Envelope } from '@bulwark/contracts';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';

/** Messages are JSON so that kcat and Kafka UIs can read them. */
export function encodeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope));
}

export function decodeEnvelope(value: Buffer | null): Envelope {
  if (!value) throw new MessagingError(MessagingErrorCodes.invalidMessage, 'empty message value', false);
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new MessagingError(MessagingErrorCodes.invalidMessage, 'message value is not JSON', false);
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const fields = issuePaths(parsed.error)
      .map((i) => i.path)
      .join(', ');
    throw new MessagingError(MessagingErrorCodes.invalidMessage, `not a Bulwark envelope (fields: ${fields})`, false);
  }
  return parsed.data as Envelope;
}
