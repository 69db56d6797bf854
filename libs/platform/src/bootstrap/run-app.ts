import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import type { TopicDeclaration } from '@bulwark/contracts';
import {
  BulwarkKafkaTransport,
  createMessagingRuntime,
  type DefaultMiddlewareOptions,
  type MessagingRuntime,
} from '@bulwark/messaging';
import { HealthChecks } from '../health/health-checks';
import { createHttpApp, installGracefulShutdown } from '../http/create-http-app';
import { consumerLiveness, consumerReadiness } from '../kafka/messaging-health';
import { connectMongo, mongoReadiness, storeCapabilities, type StoreCapabilities } from '../mongo/mongo-connection';
import { startTracing } from '../observability/tracing-sdk';

/** What every app's configuration has (each app validates its own with parseConfig first). */
export interface BaseAppConfig {
  readonly PORT: number;
  readonly HOST: string;
  readonly KAFKA_BROKERS: readonly string[];
  readonly MONGO_URL: string;
  readonly BULWARK_REPLICA: string;
  readonly KAFKA_SESSION_TIMEOUT_MS?: number;
  readonly PUBLISH_TIMEOUT_MS?: number;
  /** After SIGTERM, stay up unready this long so a load balancer drains the replica first. */
  readonly DRAIN_MS?: number;
}

export interface AppDeps {
  readonly runtime: MessagingRuntime;
  readonly mongo: Connection;
  readonly store: StoreCapabilities;
}

export interface AppDefinition<C extends BaseAppConfig> {
  readonly name: string;
  readonly config: C;
  /** Before the app and its consumer start: indexes and guards its store must have first. */
  prepare?(deps: AppDeps): Promise<void>;
  module(deps: AppDeps): DynamicModule;
  /** The app's consumer group: its @OnTopic handlers run in it, behind the standard pipeline. */
  readonly consumer?: {
    readonly group: string;
    readonly topics: readonly TopicDeclaration[];
    readonly pipeline?: Partial<DefaultMiddlewareOptions>;
  };
  readonly http?: { readonly jsonOnly?: boolean; readonly bodyLimitBytes?: number };
  /** After the app listens (start background work such as an outbox sweeper). */
  started?(app: NestFastifyApplication, deps: AppDeps): void | Promise<void>;
  /** After the app closed, before the store and Kafka connections close. */
  stopping?(deps: AppDeps): Promise<void>;
}

/**
 * Boots a Bulwark app the one standard way: tracing, the messaging runtime (publisher,
 * consumer runner, metrics), the app's own database, health checks (store reachable; group
 * joined and progressing; consumer alive), the consumer group behind the standard pipeline,
 * HTTP on Fastify with /health and /metrics, and an ordered graceful shutdown.
 */
export async function runApp<C extends BaseAppConfig>(definition: AppDefinition<C>): Promise<NestFastifyApplication> {
  const { config, name } = definition;
  await startTracing(name);
  const runtime = createMessagingRuntime({
    brokers: config.KAFKA_BROKERS,
    clientId: `${name}-${config.BULWARK_REPLICA}`,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    publishTimeoutMs: config.PUBLISH_TIMEOUT_MS,
  });
  const mongo = await connectMongo(config.MONGO_URL);
  const deps: AppDeps = { runtime, mongo, store: await storeCapabilities(mongo) };
  await definition.prepare?.(deps);

  const app = await createHttpApp(definition.module(deps), definition.http ?? {});
  const health = app.get(HealthChecks);
  health.addReadiness('mongo', mongoReadiness(mongo));
  if (definition.consumer) {
    const { group, topics, pipeline } = definition.consumer;
    health.addReadiness('kafka-consumer', consumerReadiness(runtime.subscriber));
    health.addLiveness('kafka-consumer', consumerLiveness(runtime.subscriber));
    app.connectMicroservice(
      { strategy: new BulwarkKafkaTransport(runtime.subscriber, group, runtime.pipeline(group, topics, pipeline)) },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(config.PORT, config.HOST);
  await definition.started?.(app, deps);
  // app.close() stops the consumer first: in-flight work finishes or is given up, offsets commit.
  installGracefulShutdown(app, {
    drainMs: config.DRAIN_MS ?? 0,
    afterClose: async () => {
      await definition.stopping?.(deps);
      await runtime.close();
      await mongo.close();
    },
  });
  const group = definition.consumer ? ` (group ${definition.consumer.group})` : '';
  console.log(`${name} replica ${config.BULWARK_REPLICA} on http://${config.HOST}:${config.PORT}${group}`);
  return app;
}

/** The last line of every main.ts: a start-up failure is printed once and exits non-zero. */
export function exitOnFailure(err: unknown): never {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
