import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import { ApiErrorFilter } from '../errors/api-error.filter';
import { HealthChecks } from '../health/health-checks';
import { stopTracing } from '../observability/tracing-sdk';
import { requireJsonBodies } from './require-json';
import { RouteTable } from './route-table';

export interface HttpAppOptions {
  /** Largest accepted request body; larger ones get 413. */
  readonly bodyLimitBytes?: number;
  readonly logLevels?: LogLevel[];
  /** Reject request bodies that are not JSON with 415 (edge apps). */
  readonly jsonOnly?: boolean;
}

/**
 * Every Bulwark app is a Nest app on Fastify: edge apps serve the API, services serve only
 * /health and /metrics next to their consumers. On SIGTERM readiness fails first, so the
 * load balancer stops sending traffic before the server closes.
 */
export async function createHttpApp(module: unknown, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const bodyLimit = options.bodyLimitBytes ?? 64 * 1024;
  const app = await NestFactory.create<NestFastifyApplication>(
    module as never,
    new FastifyAdapter({ bodyLimit, trustProxy: '127.0.0.1' }),
    { logger: options.logLevels ?? ['warn', 'error'], bufferLogs: false },
  );
  // Recorded before init registers the controllers' routes.
  const routes = RouteTable.attach(app.getHttpAdapter().getInstance());
  // Global, and inherited by a connected consumer (inheritAppConfig), which it passes through untouched.
  app.useGlobalFilters(new ApiErrorFilter(routes));
  if (options.jsonOnly) requireJsonBodies(app.getHttpAdapter().getInstance(), bodyLimit);
  return app;
}

/** Marks the app unready, waits for the load balancer to notice, then closes. */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  options: { drainMs?: number; afterClose?: () => Promise<void> } = {},
): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    app.get(HealthChecks).markShuttingDown();
    setTimeout(() => {
      app
        .close()
        .then(() => options.afterClose?.())
        // Spans still waiting in the batch exporter would die with process.exit.
        .then(() => stopTracing())
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          console.error(`shutdown after ${signal} failed`, err);
          process.exit(1);
        });
    }, options.drainMs ?? 0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
