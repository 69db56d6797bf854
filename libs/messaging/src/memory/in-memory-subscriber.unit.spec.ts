import { z } from 'zod';
import { message, type Envelope } from '@bulwark/contracts';
import { newEnvelope } from '../envelope/new-envelope';
import { InMemoryBroker } from './in-memory-broker';
import { InMemoryPublisher } from './in-memory-publisher';
import { InMemorySubscriber } from './in-memory-subscriber';

const Noted = message('Noted', 1, z.object({ n: z.number().int() }).strict());
const noted = (key: string, n: number) => newEnvelope(Noted, key, { n }, null);
const nOf = (e: Envelope) => (e.data as { n: number }).n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(partitions = 1) {
  const broker = new InMemoryBroker();
  broker.createTopic('t', partitions);
  const subscribers: InMemorySubscriber[] = [];
  const subscriber = (options: ConstructorParameters<typeof InMemorySubscriber>[1] = {}) => {
    const s = new InMemorySubscriber(broker, { log: () => undefined, ...options });
    subscribers.push(s);
    return s;
  };
  return {
    broker,
    publisher: new InMemoryPublisher(broker),
    subscriber,
    close: () => Promise.all(subscribers.map((s) => s.close())),
  };
}

describe('InMemorySubscriber', () => {
  let cleanup: () => Promise<unknown> = async () => undefined;
  afterEach(() => cleanup());

  it('redelivers, after a pause, a message whose pipeline failed when no retry middleware is installed', async () => {
    const { broker, publisher, subscriber, close } = setup();
    cleanup = close;
    const calls: number[] = [];
    let failures = 0;
    await subscriber({ redeliveryDelayMs: 5 }).subscribe({
      group: 'g',
      topics: ['t'],
      handler: async (e) => {
        calls.push(nOf(e));
        if (nOf(e) === 0 && failures++ < 2) throw new Error('flaky');
      },
    });
    await publisher.publish('t', [noted('k', 0), noted('k', 1)]);
    await broker.idle();
    expect(calls).toEqual([0, 0, 0, 1]);
    expect(broker.committed('g', 't', 0)).toBe(2);
  });

  it('hands a partition to a joining member only after the old owner finished its message: never both at once', async () => {
    const { broker, publisher, subscriber, close } = setup(2);
    cleanup = close;
    const events: string[] = [];
    let inFlight = 0;
    let overlapped = false;
    const handler = (member: string) => async (e: Envelope, ctx: { partition: number }) => {
      if (++inFlight > 1 && ctx.partition === 1) overlapped = true;
      events.push(`${member} ${nOf(e)}`);
      await sleep(20);
      inFlight--;
    };
    // A key on partition 1, which moves to the second member when it joins (round-robin).
    const key = Array.from({ length: 40 }, (_, i) => `k${i}`).find((k) => partitionOf(broker, k) === 1) ?? 'none';
    await publisher.publish(
      't',
      [0, 1, 2, 3].map((n) => noted(key, n)),
    );
    await subscriber().subscribe({ group: 'g', topics: ['t'], handler: handler('A') });
    await sleep(5);
    await subscriber().subscribe({ group: 'g', topics: ['t'], handler: handler('B') });
    await broker.idle();

    expect(overlapped).toBe(false);
    expect(events.map((e) => Number(e.split(' ')[1]))).toEqual([0, 1, 2, 3]);
    expect(events[0]).toBe('A 0');
    expect(events.at(-1)).toBe('B 3');
  });

  it('reports membership, assigned partitions and a stalled partition', async () => {
    const { publisher, subscriber, close } = setup(3);
    cleanup = close;
    const s = subscriber({ stallAfterMs: 30 });
    await s.subscribe({
      group: 'g',
      topics: ['t'],
      handler: (_e, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve())),
    });
    expect(s.health()).toEqual([
      { group: 'g', joined: true, everJoined: true, crashed: false, assignedPartitions: 3, stalled: false },
    ]);
    await publisher.publish('t', [noted('stuck', 1)]);
    await sleep(60);
    expect(s.health()[0]?.stalled).toBe(true);
    await s.close();
    expect(s.health()[0]).toMatchObject({ joined: false, assignedPartitions: 0 });
  });

  it('refuses a subscription to a topic that does not exist, and subscriptions after close()', async () => {
    const { subscriber } = setup();
    const s = subscriber();
    await expect(s.subscribe({ group: 'g', topics: ['missing'], handler: async () => undefined })).rejects.toMatchObject({
      code: 'BLW_TOPIC_MISCONFIGURED',
    });
    await s.close();
    await expect(s.subscribe({ group: 'g', topics: ['t'], handler: async () => undefined })).rejects.toThrow('after close()');
  });
});

function partitionOf(broker: InMemoryBroker, key: string): number {
  const probe = new InMemoryBroker();
  probe.createTopic('probe', broker.partitions('t'));
  return probe.append('probe', [{ key, value: null, headers: {} }])[0]?.partition ?? -1;
}
