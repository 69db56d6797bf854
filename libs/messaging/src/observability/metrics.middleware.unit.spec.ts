import type { Envelope } from '@bulwark/contracts';
import type { Histogram } from 'prom-client';
import { Registry } from 'prom-client';
import { encodeEnvelope } from '../codec/envelope-codec';
import { PermanentError, TransientError } from '../errors/handler-errors';
import { MessagingErrorCodes } from '../errors/messaging-error';
import { retry } from '../middleware/retry.middleware';
import { compose } from '../pipeline/compose';
import { createDelivery } from '../pipeline/delivery';
import type { Delivery, MessageHandler } from '../ports/subscriber.port';
import { MessagingMetrics } from './metrics';
import { metricsMiddleware } from './metrics.middleware';

const envelope: Envelope = {
  type: 'OrderPlaced',
  version: 1,
  id: 'msg-1',
  occurredAt: '2025-01-02T03:04:05.678Z',
  correlationId: 'msg-1',
  causationId: null,
  key: 'order-7',
  data: {},
};

const delivery = (fields: { attempt?: number; value?: Buffer } = {}): Delivery =>
  createDelivery({
    group: 'billing',
    topic: 'orders.commands',
    partition: 0,
    offset: '9',
    key: 'order-7',
    value: fields.value ?? encodeEnvelope(envelope),
    headers: {},
    attempt: fields.attempt,
  });

const where = { group: 'billing', topic: 'orders.commands' };

describe('metricsMiddleware', () => {
  let registry: Registry;
  /** A clock the handler moves: each handler call takes 250 ms. */
  let clockMs: number;
  let run: (handler: MessageHandler, d?: Delivery) => Promise<void>;

  beforeEach(() => {
    registry = new Registry();
    clockMs = 1_000;
    const middleware = metricsMiddleware(new MessagingMetrics(registry), { now: () => clockMs });
    run = (handler, d = delivery()) =>
      compose([middleware], (message, context) => ((clockMs += 250), handler(message, context)))(d);
  });

  async function series(name: string): Promise<Record<string, number>> {
    const { values } = await registry.getSingleMetric(name)!.get();
    return Object.fromEntries(values.map((v) => [JSON.stringify(v.labels), v.value]));
  }
  /** Observations of the processing-time histogram for `where`. */
  async function timing(): Promise<{ count?: number; sum?: number }> {
    const { values } = await (registry.getSingleMetric('bulwark_message_processing_seconds') as Histogram).get();
    const of = (suffix: string) =>
      values.find(
        (v) => v.metricName === `bulwark_message_processing_seconds_${suffix}` && JSON.stringify(v.labels) === key(where),
      )?.value;
    return { count: of('count'), sum: of('sum') };
  }
  const key = (labels: Record<string, string>): string => JSON.stringify(labels);

  it('counts a successful delivery as processed and times it', async () => {
    await run(async () => undefined);

    expect(await series('bulwark_messages_processed_total')).toEqual({ [key(where)]: 1 });
    expect(await series('bulwark_message_failures_total')).toEqual({});
    await expect(timing()).resolves.toEqual({ count: 1, sum: 0.25 });
  });

  it('counts a failing handler under its error code, not as processed, and rethrows the same error', async () => {
    const rejected = new PermanentError('ORDER_UNKNOWN', 'no such order');

    await expect(run(() => Promise.reject(rejected))).rejects.toBe(rejected);

    expect(await series('bulwark_message_failures_total')).toEqual({ [key({ ...where, code: 'ORDER_UNKNOWN' })]: 1 });
    expect(await series('bulwark_messages_processed_total')).toEqual({});
    await expect(timing()).resolves.toEqual({ count: 1, sum: 0.25 });
  });

  it('names an error without a stable code after its class', async () => {
    await expect(run(() => Promise.reject(new TypeError('x is undefined')))).rejects.toThrow(TypeError);

    expect(await series('bulwark_message_failures_total')).toEqual({ [key({ ...where, code: 'ERR_TYPEERROR' })]: 1 });
  });

  it('counts a message that is not a valid envelope as BLW_INVALID_MESSAGE', async () => {
    await expect(run(async () => undefined, delivery({ value: Buffer.from('{not json') }))).rejects.toMatchObject({
      code: MessagingErrorCodes.invalidMessage,
    });

    expect(await series('bulwark_message_failures_total')).toEqual({
      [key({ ...where, code: MessagingErrorCodes.invalidMessage })]: 1,
    });
  });

  it('counts a retry for every attempt after the first', async () => {
    await run(async () => undefined, delivery({ attempt: 1 }));
    expect(await series('bulwark_message_retries_total')).toEqual({});

    await expect(
      run(() => Promise.reject(new TransientError('BLW_STORE_DOWN', 'down')), delivery({ attempt: 2 })),
    ).rejects.toThrow();
    await run(async () => undefined, delivery({ attempt: 3 }));

    expect(await series('bulwark_message_retries_total')).toEqual({ [key(where)]: 2 });
    expect(await series('bulwark_message_failures_total')).toEqual({ [key({ ...where, code: 'BLW_STORE_DOWN' })]: 1 });
    expect(await series('bulwark_messages_processed_total')).toEqual({ [key(where)]: 2 });
  });

  describe('placed inside the retry middleware, as it must be', () => {
    it('sees every attempt: one retry and one failure per failed attempt, then the success', async () => {
      let calls = 0;
      const flaky: MessageHandler = async () => {
        if (++calls < 3) throw new TransientError('BLW_STORE_DOWN', 'store unreachable');
      };
      const metrics = new MessagingMetrics(registry);
      const pipeline = compose([retry({ sleep: async () => undefined }), metricsMiddleware(metrics)], flaky);

      await pipeline(delivery());

      expect(await series('bulwark_message_retries_total')).toEqual({ [key(where)]: 2 });
      expect(await series('bulwark_message_failures_total')).toEqual({ [key({ ...where, code: 'BLW_STORE_DOWN' })]: 2 });
      expect(await series('bulwark_messages_processed_total')).toEqual({ [key(where)]: 1 });
    });
  });
});
