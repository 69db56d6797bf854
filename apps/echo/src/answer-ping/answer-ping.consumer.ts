import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EchoCommands, EchoEvents, type Envelope } from '@bulwark/contracts';
import { KafkaMessageContext, OnTopic, PUBLISHER, type Publisher } from '@bulwark/messaging';
import { answerPing } from './answer-ping.handler';
import { ECHO_REPLICA } from '../tokens';

/** Thin adapter: validate, decide, publish. The offset commits only after the event is acknowledged. */
@Controller()
export class AnswerPingConsumer {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(ECHO_REPLICA) private readonly replica: string,
  ) {}

  @OnTopic(EchoCommands)
  async handle(@Payload() envelope: Envelope, @Ctx() context: KafkaMessageContext): Promise<void> {
    const ping = EchoCommands.messages.Ping;
    if (envelope.type !== ping.type) return; // other command types are not ours to answer
    const data = ping.schema.parse(envelope.data);
    const event = answerPing({ ...envelope, type: ping.type, data }, this.replica);
    await this.publisher.publish(EchoEvents.name, [event], {
      headers: context.getHeaders().traceparent ? { traceparent: context.getHeaders().traceparent ?? '' } : {},
    });
  }
}
