import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { ConsumerGroups, deadLetterTopic, PaymentsCommands, PaymentsEvents, type Envelope } from '@bulwark/contracts';
import {
  BulwarkKafkaTransport,
  DeadLetterHeaders,
  decodeEnvelope,
  defaultMiddleware,
  InMemoryBroker,
  InMemoryPublisher,
  InMemorySubscriber,
  OutboxRelay,
  type AggregateDocument,
} from '@bulwark/messaging';
import { ApiErrorFilter } from '@bulwark/platform';
import type { PaymentState } from './domain/payment-state';
import { PaymentsErrors } from './domain/payments-errors';
import { PaymentsModule } from './payments.module';
import { MemoryCollection } from '../../../libs/messaging/test/support/memory-collection';
import { ORDER_ID, cmd } from '../test/support/payment-messages';

/**
 * The consumers as the runtime drives them (Nest microservice, Bulwark transport on an
 * in-memory broker, standard pipeline, applyOnce, relay). AuthorizePayment and VoidPayment
 * share payments.commands: Nest calls both handlers, each must apply only its own type.
 */
async function start() {
  const broker = new InMemoryBroker();
  for (const topic of [PaymentsCommands, PaymentsEvents]) broker.createTopic(topic.name, 2);
  broker.createTopic(deadLetterTopic(ConsumerGroups.payments), 1);
  const publisher = new InMemoryPublisher(broker);
  const payments = new MemoryCollection<AggregateDocument<PaymentState>>(`payments-${Math.random()}`);
  const middleware = defaultMiddleware({
    group: ConsumerGroups.payments,
    topics: [PaymentsCommands],
    rawPublisher: publisher,
    tracing: false,
    retry: { maxAttempts: 1 },
  });
  const app: INestMicroservice = await NestFactory.createMicroservice(
    PaymentsModule.register({
      payments: payments.asCollection(),
      relay: new OutboxRelay(payments.asCollection(), publisher),
      applyOptions: { compareAndSet: true },
    }),
    {
      strategy: new BulwarkKafkaTransport(
        new InMemorySubscriber(broker, { log: () => undefined }),
        ConsumerGroups.payments,
        middleware,
      ),
      logger: false,
    },
  );
  // As runApp does (through the HTTP app): handler errors reach the pipeline with their code.
  app.useGlobalFilters(new ApiErrorFilter());
  await app.listen();
  const send = async (...messages: Envelope[]) => {
    for (const m of messages) {
      await publisher.publish(PaymentsCommands.name, [m]);
      await broker.idle();
    }
  };
  const answers = () => broker.records(PaymentsEvents.name).map((r) => decodeEnvelope(r.value).type);
  const deadLetters = () => broker.records(deadLetterTopic(ConsumerGroups.payments));
  return { payments, app, send, answers, deadLetters };
}

describe('payments consumers (in memory)', () => {
  let app: INestMicroservice | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('authorizes, voids once, and repeats the first answer', async () => {
    const t = await start();
    app = t.app;
    await t.send(cmd.authorize(500), cmd.void(), cmd.void(), cmd.authorize(500));
    expect(t.answers()).toEqual(['PaymentAuthorized', 'PaymentVoided', 'PaymentAuthorized']);
    expect(t.payments.get(ORDER_ID)?.state.voided).toBe(true);
    expect(t.deadLetters()).toEqual([]);
  });

  it('dead-letters a void for a payment never asked for, with its code', async () => {
    const t = await start();
    app = t.app;
    await t.send(cmd.void());
    expect(t.deadLetters()[0]?.headers[DeadLetterHeaders.errorCode]).toBe(PaymentsErrors.paymentNotFound);
    expect(t.answers()).toEqual([]);
  });
});
