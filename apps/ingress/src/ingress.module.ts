import { Module, type DynamicModule } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { HealthModule, nativeCollection } from '@bulwark/platform';
import { PUBLISHER, type Publisher } from '@bulwark/messaging';
import type { IngressConfig } from './config';
import { INGRESS_CONFIG, PINGS_COLLECTION } from './tokens';
import { SendPingHttpController } from './wire/send-ping/send-ping.http-controller';
import { GetPingHttpController } from './wire/get-ping/get-ping.http-controller';
import { ProjectPingAnsweredConsumer } from './wire/project-ping-answered/project-ping-answered.consumer';

@Module({})
export class IngressModule {
  static register(deps: { config: IngressConfig; publisher: Publisher; mongo: Connection }): DynamicModule {
    return {
      module: IngressModule,
      imports: [HealthModule],
      controllers: [SendPingHttpController, GetPingHttpController, ProjectPingAnsweredConsumer],
      providers: [
        { provide: INGRESS_CONFIG, useValue: deps.config },
        { provide: PUBLISHER, useValue: deps.publisher },
        { provide: PINGS_COLLECTION, useValue: nativeCollection(deps.mongo, 'pings') },
      ],
    };
  }
}
