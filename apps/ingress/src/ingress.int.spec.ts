import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import { EchoCommands, type Envelope } from '@bulwark/contracts';
import { createKafka, KafkaPublisher, KafkaSubscriber } from '@bulwark/messaging';
import { connectMongo, createHttpApp, HealthChecks, mongoReadiness } from '@bulwark/platform';
import { stack, waitFor } from '../../../test/support/stack';
import { loadConfig } from './config';
import { IngressModule } from './ingress.module';

/** Boots the NestJS 12 ingress in this process (Fastify adapter) against the real Kafka and FerretDB. */
describe('ingress NestJS app on real Kafka and FerretDB', () => {
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'ingress-int' });
  const publisher = new KafkaPublisher(kafka);
  let mongo: Connection;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ KAFKA_BROKERS: stack.brokers.join(','), MONGO_URL: stack.mongoUrl('ingress_int'), PORT: '1' });
    mongo = await connectMongo(config.MONGO_URL);
    app = await createHttpApp(IngressModule.register({ config, publisher, mongo }), { jsonOnly: true });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await publisher.close();
    await mongo.close();
  });

  const endOffsets = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(EchoCommands.name);
      return offsets.reduce((n, p) => n + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('answers 202 only after the Ping command is on echo.commands, as a valid envelope', async () => {
    const res = await fetch(`${url}/api/wire/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'from the int test' }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { pingId: string; commandId: string; links: { self: string } };
    expect(body.links.self).toBe(`/api/wire/pings/${body.pingId}`);

    const found: Envelope[] = [];
    const subscriber = new KafkaSubscriber(kafka);
    await subscriber.subscribe({
      group: `it.ingress.${randomUUID().slice(0, 8)}`,
      topics: [EchoCommands.name],
      handler: async (m) => {
        if (m.id === body.commandId) found.push(m);
      },
    });
    try {
      await waitFor('the command on echo.commands', async () => found.length > 0, 60_000);
    } finally {
      await subscriber.close();
    }
    expect(found[0]).toMatchObject({
      type: 'Ping',
      version: 1,
      key: body.pingId,
      data: { pingId: body.pingId, text: 'from the int test' },
    });
    expect(found[0]?.correlationId).toBe(body.commandId);
  });

  it('rejects invalid bodies with 400, every failing field path, and nothing reaching Kafka', async () => {
    const before = await endOffsets();
    const res = await fetch(`${url}/api/wire/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '', extra: true }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
    expect(body.error.code).toBe('BLW_VALIDATION_FAILED');
    const paths = body.error.details.fields.map((f) => f.path).sort();
    expect(paths).toEqual(['extra', 'text']);
    expect(await endOffsets()).toBe(before);
  });

  it('serves health: ready while the store answers, unready once shutting down, live throughout', async () => {
    const health = app.get(HealthChecks);
    health.addReadiness('mongo', mongoReadiness(mongo));
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { mongo: { ok: true } } });

    health.markShuttingDown();
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });
});
