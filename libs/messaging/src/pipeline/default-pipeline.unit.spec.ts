import { Registry } from 'prom-client';
import { z } from 'zod';
import { declareTopic, message } from '@bulwark/contracts';
import { deliveryOf, envelope } from '../../test/support/deliveries';
import { TransientError } from '../errors/handler-errors';
import { InMemoryProcessedMessages } from '../memory/in-memory-processed-messages';
import { currentCausation } from '../middleware/correlation.middleware';
import { MessagingMetrics } from '../observability/metrics';
import { installTestTracing } from '../observability/test-tracing';
import type { RawPublisher, RawRecord } from '../ports/raw-publisher.port';
import type { MessageHandler, Middleware } from '../ports/subscriber.port';
import { compose } from './compose';
import { defaultMiddleware, type DefaultMiddlewareOptions } from './default-pipeline';

const Ping = message('Ping', 1, z.object({ text: z.string() }).strict());
const topic = declareTopic({ name: 'test.topic', messages: { Ping } });
const valid = (id = 'msg-1') => deliveryOf(envelope({ id, data: { text: 'hi' } }));

function pipeline(handler: MessageHandler, options: Partial<DefaultMiddlewareOptions> = {}) {
  const deadLetters: RawRecord[] = [];
  const rawPublisher: RawPublisher = { publishRaw: async (_topic, records) => void deadLetters.push(...records) };
  const middleware = defaultMiddleware({
    group: 'test.group',
    topics: [topic],
    rawPublisher,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
  return { run: compose(middleware, handler), deadLetters };
}

describe('defaultMiddleware', () => {
  it('hands a valid message to the handler inside its correlation', async () => {
    let causation: unknown;
    const { run, deadLetters } = pipeline(async () => void (causation = currentCausation()));
    await run(valid('msg-5'));
    expect(causation).toEqual({ correlationId: 'corr-1', causationId: 'msg-5' });
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters invalid data at once: schema failures are permanent and never retried', async () => {
    const handler = jest.fn(async () => undefined);
    const { run, deadLetters } = pipeline(handler);
    await run(deliveryOf(envelope({ data: { text: 7 } })));
    expect(handler).not.toHaveBeenCalled();
    expect(deadLetters[0]?.headers).toMatchObject({
      'bulwark-dlq-error-code': 'BLW_SCHEMA_INVALID',
      'bulwark-dlq-attempts': '1',
    });
  });

  it('dead-letters an unclassified failure only after the retries, with their count', async () => {
    const handler = jest.fn(async () => {
      throw new Error('bug');
    });
    const { run, deadLetters } = pipeline(handler);
    await run(valid());
    expect(handler).toHaveBeenCalledTimes(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.headers).toMatchObject({
      'bulwark-dlq-error-code': 'BLW_HANDLER_FAILED_REPEATEDLY',
      'bulwark-dlq-attempts': '3',
    });
  });

  it('retries a transient failure past maxAttempts and never dead-letters it', async () => {
    let calls = 0;
    const { run, deadLetters } = pipeline(async () => {
      if (++calls < 6) throw new TransientError('STORE_DOWN', 'down');
    });
    await run(valid());
    expect(calls).toBe(6);
    expect(deadLetters).toEqual([]);
  });

  it('times out each attempt separately and counts timeouts as unclassified failures', async () => {
    const signals: AbortSignal[] = [];
    const { run, deadLetters } = pipeline(
      (_m, ctx) => {
        signals.push(ctx.signal);
        return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      },
      { timeoutMs: 20 },
    );
    await run(valid());
    expect(signals).toHaveLength(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(deadLetters[0]?.headers).toMatchObject({ 'bulwark-dlq-attempts': '3' });
    expect(deadLetters[0]?.headers['bulwark-dlq-error-message']).toContain('BLW_HANDLER_TIMEOUT');
  });

  it('skips a message already processed by the group when a ProcessedMessages store is given', async () => {
    const handled: string[] = [];
    const { run } = pipeline(async (m) => void handled.push(m.id), { processed: new InMemoryProcessedMessages() });
    await run(valid('a'));
    await run(valid('a'));
    expect(handled).toEqual(['a']);

    const plain = pipeline(async (m) => void handled.push(m.id));
    await plain.run(valid('a'));
    expect(handled).toEqual(['a', 'a']);
  });

  it('puts the extra outer middleware outermost, where it sees the final outcome of a dead-lettered message', async () => {
    const outcomes: string[] = [];
    const observe: Middleware = (next) => async (d) => {
      outcomes.push(`start, cause ${currentCausation()?.causationId ?? 'none'}`);
      await next(d).then(
        () => outcomes.push('resolved'),
        () => outcomes.push('rejected'),
      );
    };
    const { run, deadLetters } = pipeline(
      async () => {
        throw new Error('bug');
      },
      { extra: { outer: [observe] } },
    );
    await run(valid());
    expect(deadLetters).toHaveLength(1);
    expect(outcomes).toEqual(['start, cause none', 'resolved']);
  });

  it('measures and traces each attempt, and counts the dead letter once it is published', async () => {
    const tracing = installTestTracing();
    tracing.reset();
    const registry = new Registry();
    const { run } = pipeline(
      async () => {
        throw new Error('bug');
      },
      { metrics: new MessagingMetrics(registry) },
    );
    await run(valid());

    const total = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values.reduce((n, v) => n + v.value, 0);
    expect(await total('bulwark_message_failures_total')).toBe(3);
    expect(await total('bulwark_message_retries_total')).toBe(2);
    expect((await registry.getSingleMetric('bulwark_dead_letters_total')?.get())?.values).toEqual([
      expect.objectContaining({
        value: 1,
        labels: { group: 'test.group', topic: 'test.topic', code: 'BLW_HANDLER_FAILED_REPEATEDLY' },
      }),
    ]);
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['bulwark.delivery.attempt']])).toEqual([
      ['process test.topic', 1],
      ['process test.topic', 2],
      ['process test.topic', 3],
    ]);
  });

  it('refuses invalid options, naming the field', () => {
    expect(() => defaultMiddleware({ group: 'g', topics: [topic], rawPublisher: undefined as never })).toThrow(
      /defaultMiddleware options are invalid \(rawPublisher: /,
    );
    expect(() => pipeline(async () => undefined, { timeoutMs: -1 })).toThrow(/timeoutMs: /);
    expect(() => pipeline(async () => undefined, { retry: { maxAttempts: 0 } })).toThrow(/retry options are invalid/);
  });
});
