import { Global, Module } from '@nestjs/common';
import { HealthChecks } from './health-checks';
import { HealthController } from './health.controller';

@Global()
@Module({
  providers: [HealthChecks],
  controllers: [HealthController],
  exports: [HealthChecks],
})
export class HealthModule {}
