import 'reflect-metadata';
import { ConsumerGroups } from '@bulwark/contracts';
import { BulwarkKafkaTransport, createKafka, KafkaPublisher, KafkaSubscriber } from '@bulwark/messaging';
import {
  connectMongo,
  consumerLiveness,
  consumerReadiness,
  createHttpApp,
  HealthChecks,
  installGracefulShutdown,
  mongoReadiness,
  ok,
  startTracing,
} from '@bulwark/platform';
import { loadConfig } from './config';
import { IngressModule } from './ingress.module';

async function main(): Promise<void> {
  await startTracing('ingress');
  const config = loadConfig();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `ingress-${config.BULWARK_REPLICA}` });
  const publisher = new KafkaPublisher(kafka, config.PUBLISH_TIMEOUT_MS);
  const subscriber = new KafkaSubscriber(kafka);
  const mongo = await connectMongo(config.MONGO_URL);

  const app = await createHttpApp(IngressModule.register({ config, publisher, mongo }), { jsonOnly: true });
  const health = app.get(HealthChecks);
  // Readiness does not include "all brokers up": with one broker down the ingress still serves,
  // and when Kafka cannot take a command the client gets 503 + Retry-After from the endpoint.
  health.addReadiness('mongo', mongoReadiness(mongo));
  health.addReadiness('projection', consumerReadiness(subscriber));
  health.addLiveness('projection', consumerLiveness(subscriber));
  health.addLiveness('process', async () => ok);

  app.connectMicroservice(
    { strategy: new BulwarkKafkaTransport(subscriber, ConsumerGroups.ingressProjection) },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  installGracefulShutdown(app, {
    drainMs: config.DRAIN_MS,
    afterClose: async () => (await publisher.close(), await mongo.close()),
  });
  console.log(`ingress replica ${config.BULWARK_REPLICA} on http://${config.HOST}:${config.PORT}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
