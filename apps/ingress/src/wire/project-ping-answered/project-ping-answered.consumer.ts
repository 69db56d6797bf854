import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Collection } from 'mongodb';
import { EchoEvents, type Envelope } from '@bulwark/contracts';
import { OnTopic } from '@bulwark/messaging';
import { PINGS_COLLECTION } from '../../tokens';
import type { PingView } from '../ping-view';

/**
 * Projects PingAnswered into the ingress's own database (group ingress.projection). The write
 * is an idempotent upsert keyed by ping id, so redelivery and replay give the same document.
 */
@Controller()
export class ProjectPingAnsweredConsumer {
  constructor(@Inject(PINGS_COLLECTION) private readonly pings: Collection<PingView>) {}

  @OnTopic(EchoEvents)
  async handle(@Payload() envelope: Envelope): Promise<void> {
    const answered = EchoEvents.messages.PingAnswered;
    if (envelope.type !== answered.type) return;
    const data = answered.schema.parse(envelope.data);
    await this.pings.updateOne(
      { _id: data.pingId },
      { $set: { text: data.text, answeredBy: data.answeredBy, answeredAt: data.answeredAt, eventId: envelope.id } },
      { upsert: true },
    );
  }
}
