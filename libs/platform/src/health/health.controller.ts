import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthChecks } from './health-checks';

@Controller('health')
export class HealthController {
  constructor(@Inject(HealthChecks) private readonly checks: HealthChecks) {}

  @Get('live')
  async live(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.checks.liveness();
    await reply
      .status(report.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.checks.readiness();
    await reply
      .status(report.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  }
}
