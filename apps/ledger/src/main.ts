import 'reflect-metadata';
import { ConsumerGroups, LedgerCommands } from '@bulwark/contracts';
import {
  BulwarkKafkaTransport,
  createKafka,
  defaultMiddleware,
  KafkaPublisher,
  KafkaSubscriber,
  OutboxRelay,
  OutboxSweeper,
  type AggregateDocument,
} from '@bulwark/messaging';
import {
  connectMongo,
  consumerLiveness,
  consumerReadiness,
  createHttpApp,
  HealthChecks,
  installGracefulShutdown,
  mongoReadiness,
} from '@bulwark/platform';
import type { AccountState } from './account/account-state';
import { loadConfig } from './config';
import { LedgerModule } from './ledger.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `ledger-${config.BULWARK_REPLICA}` });
  const publisher = new KafkaPublisher(kafka);
  const subscriber = new KafkaSubscriber(kafka, { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS });
  const mongo = await connectMongo(config.MONGO_URL);
  const accounts = mongo.collection<AggregateDocument<AccountState>>('accounts');
  const relay = new OutboxRelay(accounts, publisher);
  const sweeper = new OutboxSweeper(accounts, relay, { log: (line) => console.warn(line) });

  const app = await createHttpApp(LedgerModule.register({ accounts: accounts as never, relay }));
  const health = app.get(HealthChecks);
  health.addReadiness('kafka-consumer', consumerReadiness(subscriber));
  health.addReadiness('mongo', mongoReadiness(mongo));
  health.addLiveness('kafka-consumer', consumerLiveness(subscriber));

  const middleware = defaultMiddleware({
    group: ConsumerGroups.ledger,
    topics: [LedgerCommands],
    rawPublisher: publisher,
    timeoutMs: config.HANDLER_TIMEOUT_MS,
    retry: { maxAttempts: config.HANDLER_MAX_ATTEMPTS },
  });
  app.connectMicroservice(
    { strategy: new BulwarkKafkaTransport(subscriber, ConsumerGroups.ledger, middleware) },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  sweeper.start();
  // app.close() stops the consumer first (in-flight work finishes or is given up, offsets commit).
  installGracefulShutdown(app, {
    afterClose: async () => {
      await sweeper.stop();
      await publisher.close();
      await mongo.close();
    },
  });
  console.log(
    `ledger replica ${config.BULWARK_REPLICA} on http://${config.HOST}:${config.PORT} (group ${ConsumerGroups.ledger})`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
