import type { Envelope } from '@bulwark/contracts';
import { encodeEnvelope } from '../../src/codec/envelope-codec';
import { createDelivery, type DeliveryFields } from '../../src/pipeline/delivery';
import type { Delivery } from '../../src/ports/subscriber.port';

/** An envelope built by hand, so tests can send what newEnvelope would refuse to build. */
export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    type: 'Ping',
    version: 1,
    id: 'msg-1',
    occurredAt: '2025-01-02T03:04:05.006Z',
    correlationId: 'corr-1',
    causationId: null,
    key: 'key-1',
    data: {},
    ...overrides,
  };
}

/** A delivery of `env` as the runner would build it from a Kafka record. */
export function deliveryOf(env: Envelope, fields: Partial<DeliveryFields> = {}): Delivery {
  return createDelivery({
    group: 'test.group',
    topic: 'test.topic',
    partition: 2,
    offset: '41',
    key: env.key,
    value: encodeEnvelope(env),
    headers: { traceparent: '00-abc-def-01' },
    ...fields,
  });
}
