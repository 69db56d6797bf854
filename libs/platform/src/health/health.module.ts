import { Global, Module } from '@nestjs/common';
import { HealthChecks } from './health-checks';
import { HealthController } from './health.controller';
import { MetricsController } from '../observability/metrics.controller';

@Global()
@Module({
  providers: [HealthChecks],
  // /metrics rides along with /health so that every app serves both without wiring anything.
  controllers: [HealthController, MetricsController],
  exports: [HealthChecks],
})
export class HealthModule {}
