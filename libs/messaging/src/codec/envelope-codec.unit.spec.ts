import type { Envelope } from '@bulwark/contracts';
import { MessagingError, MessagingErrorCodes } from '../errors/messaging-error';
import { decodeEnvelope, encodeEnvelope } from './envelope-codec';

const envelope: Envelope<'Ping', { pingId: string; text: string }> = {
  type: 'Ping',
  version: 1,
  id: '0d7c4a8e-3b8e-4f57-9a43-6f0f6cba7b10',
  occurredAt: '2025-01-02T03:04:05.678Z',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  causationId: null,
  key: 'ping-1',
  data: { pingId: 'ping-1', text: 'hello' },
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The MessagingError decoding `value` throws; fails the test if decoding succeeds. */
function decodeError(value: Buffer | null): MessagingError {
  try {
    decodeEnvelope(value);
  } catch (err) {
    if (err instanceof MessagingError) return err;
    throw err;
  }
  throw new Error('expected decodeEnvelope to throw a MessagingError');
}

describe('envelope codec', () => {
  it('round-trips an envelope', () => {
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('round-trips the envelope of a caused message (causationId set, offset timestamp)', () => {
    const caused = { ...envelope, causationId: 'cause-1', occurredAt: '2025-01-02T05:04:05.678+02:00' };

    expect(decodeEnvelope(encodeEnvelope(caused))).toEqual(caused);
  });

  it('encodes plain UTF-8 JSON, so kcat and Kafka UIs can read it', () => {
    expect(JSON.parse(encodeEnvelope(envelope).toString('utf8'))).toEqual(envelope);
  });

  describe('rejects, as a non-retriable BLW_INVALID_MESSAGE,', () => {
    it.each([
      ['no value (a tombstone)', null, /empty/],
      ['a value that is not JSON', Buffer.from('{"type":"Ping",'), /not JSON/],
      ['a JSON value that is not an object', json([envelope]), /not a Bulwark envelope/],
      ['a missing field', json({ ...envelope, id: undefined }), /not a Bulwark envelope \(fields: id\)/],
      ['a missing data field', json({ ...envelope, data: undefined }), /fields: data\)/],
      ['several missing fields, all named', json({ ...envelope, type: undefined, key: undefined }), /fields: type, key\)/],
      ['a field of the wrong type', json({ ...envelope, version: '1' }), /fields: version\)/],
      ['a timestamp that is not ISO 8601', json({ ...envelope, occurredAt: 'yesterday' }), /fields: occurredAt\)/],
      ['an empty id', json({ ...envelope, id: '' }), /fields: id\)/],
      ['an extra field', json({ ...envelope, traceparent: '00-abc-def-01' }), /not a Bulwark envelope/],
    ])('%s', (_case, value, message) => {
      const err = decodeError(value);

      expect(err).toMatchObject({ code: MessagingErrorCodes.invalidMessage, retriable: false, name: 'MessagingError' });
      expect(err.message).toMatch(message);
    });
  });
});
