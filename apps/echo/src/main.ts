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
  startTracing,
} from '@bulwark/platform';
import { loadConfig } from './config';
import { EchoModule } from './echo.module';

async function main(): Promise<void> {
  await startTracing('echo');
  const config = loadConfig();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `echo-${config.BULWARK_REPLICA}` });
  const publisher = new KafkaPublisher(kafka);
  const subscriber = new KafkaSubscriber(kafka);
  const mongo = await connectMongo(config.MONGO_URL);

  const app = await createHttpApp(EchoModule.register({ publisher, replica: config.BULWARK_REPLICA }));
  const health = app.get(HealthChecks);
  health.addReadiness('kafka-consumer', consumerReadiness(subscriber));
  health.addReadiness('mongo', mongoReadiness(mongo));
  health.addLiveness('kafka-consumer', consumerLiveness(subscriber));

  app.connectMicroservice({ strategy: new BulwarkKafkaTransport(subscriber, ConsumerGroups.echo) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  // app.close() stops the consumer first (leaving the group, committing what was processed).
  installGracefulShutdown(app, { afterClose: async () => (await publisher.close(), await mongo.close()) });
  console.log(`echo replica ${config.BULWARK_REPLICA} on http://${config.HOST}:${config.PORT} (group ${ConsumerGroups.echo})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
