import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@bulwark/platform';
import { PUBLISHER, type Publisher } from '@bulwark/messaging';
import { AnswerPingConsumer } from './answer-ping/answer-ping.consumer';
import { ECHO_REPLICA } from './tokens';

@Module({})
export class EchoModule {
  static register(deps: { publisher: Publisher; replica: string }): DynamicModule {
    return {
      module: EchoModule,
      imports: [HealthModule],
      controllers: [AnswerPingConsumer],
      providers: [
        { provide: PUBLISHER, useValue: deps.publisher },
        { provide: ECHO_REPLICA, useValue: deps.replica },
      ],
    };
  }
}
