import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { metricsRegistry } from '@bulwark/messaging';

/**
 * Prometheus scrape endpoint of every app (registered by HealthModule), served from the one
 * process-wide registry the messaging runtime counts into.
 * Not for the public: an edge app's load balancer must not route /metrics.
 */
@Controller('metrics')
export class MetricsController {
  @Get()
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const body = await metricsRegistry.metrics();
    await reply
      .status(200)
      // text/plain; version=0.0.4; charset=utf-8: the classic text format every Prometheus reads.
      .header('content-type', metricsRegistry.contentType)
      .header('cache-control', 'no-store')
      .send(body);
  }
}
