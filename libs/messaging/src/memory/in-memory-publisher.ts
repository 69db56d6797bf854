import type { Envelope } from '@bulwark/contracts';
import { encodeEnvelope } from '../codec/envelope-codec';
import type { PublishOptions, Publisher } from '../ports/publisher.port';
import type { RawPublisher, RawRecord } from '../ports/raw-publisher.port';
import type { InMemoryBroker } from './in-memory-broker';

/**
 * Publisher and RawPublisher on an InMemoryBroker. Envelopes are stored as the same JSON bytes
 * Kafka would carry, so consumers decode exactly what they would decode in production (a Date
 * in `data` arrives as a string here too). Resolves once appended: there is nothing to await.
 */
export class InMemoryPublisher implements Publisher, RawPublisher {
  constructor(private readonly broker: InMemoryBroker) {}

  async publish(topic: string, messages: readonly Envelope[], options: PublishOptions = {}): Promise<void> {
    const headers = options.headers ?? {};
    this.broker.append(
      topic,
      messages.map((m) => ({ key: m.key, value: encodeEnvelope(m), headers })),
    );
  }

  async publishRaw(topic: string, records: readonly RawRecord[]): Promise<void> {
    this.broker.append(topic, records);
  }
}
