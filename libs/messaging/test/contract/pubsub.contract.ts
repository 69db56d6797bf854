import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deadLetterTopic, declareTopic, message, type Envelope } from '@bulwark/contracts';
import { newEnvelope } from '../../src/envelope/new-envelope';
import { DeliveryAbortedError, PermanentError, TransientError } from '../../src/errors/handler-errors';
import { DeadLetterHeaders, ERROR_MESSAGE_MAX_BYTES } from '../../src/middleware/dead-letter.middleware';
import { HANDLER_FAILED_REPEATEDLY } from '../../src/middleware/retry.middleware';
import { defaultMiddleware } from '../../src/pipeline/default-pipeline';
import type { Publisher } from '../../src/ports/publisher.port';
import type { RawPublisher } from '../../src/ports/raw-publisher.port';
import type { MessageHandler, Middleware, Subscriber } from '../../src/ports/subscriber.port';

/**
 * The behaviour every Publisher/Subscriber pair must show (ARCHITECTURE.md, "Delivery
 * guarantees"), run against the in-memory implementation (unit tier) and Kafka (int tier).
 * Every subscription runs the standard middleware pipeline, because retry and dead-lettering
 * are part of what a service relies on.
 */
export interface PubSubFixture {
  readonly publisher: Publisher & RawPublisher;
  newSubscriber(): Subscriber;
  /** A new, empty topic. `name` is passed for dead-letter topics (`<group>.dlq`), otherwise unique. */
  createTopic(partitions: number, name?: string): Promise<string>;
  /** Closes every subscriber and publisher the fixture made. */
  cleanup(): Promise<void>;
}

export interface PubSubContractOptions {
  /** How long to wait for something that must happen (Kafka takes seconds to join a group). */
  readonly waitMs?: number;
  /** How long to watch for something that must not happen (a duplicate, an early resolve). */
  readonly quietMs?: number;
}

const Counted = message('ContractCounted', 1, z.object({ seq: z.number().int().min(0) }).strict());
type Counted = Envelope<'ContractCounted', { seq: number }>;

/** Unclassified failures are retried this often before they are dead-lettered. */
const MAX_ATTEMPTS = 3;

export function describePubSubContract(
  name: string,
  factory: () => Promise<PubSubFixture>,
  options: PubSubContractOptions = {},
): void {
  const waitMs = options.waitMs ?? 3000;
  const quietMs = options.quietMs ?? 50;

  describe(`pub/sub contract: ${name}`, () => {
    let f: PubSubFixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    /** Subscribes with the standard pipeline; `outer` middleware sees each delivery first. */
    async function subscribe(
      subscriber: Subscriber,
      s: { group: string; topic: string; partitions: number; handler: MessageHandler; outer?: Middleware[] },
    ): Promise<void> {
      await subscriber.subscribe({
        group: s.group,
        topics: [s.topic],
        handler: s.handler,
        middleware: defaultMiddleware({
          group: s.group,
          topics: [declareTopic({ name: s.topic, partitions: s.partitions, messages: { Counted } })],
          rawPublisher: f.publisher,
          retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 5, maxDelayMs: 50 },
          extra: { outer: s.outer ?? [] },
        }),
      });
    }

    /** Collects the raw records of a dead-letter topic, as a redrive tool would see them. */
    async function readDeadLetters(group: string) {
      const topic = deadLetterTopic(group);
      const dead: { key: string | null; value: Buffer | null; headers: Readonly<Record<string, string>> }[] = [];
      await f.newSubscriber().subscribe({
        group: `${group}.reader`,
        topics: [topic],
        handler: async () => undefined,
        middleware: [() => async (d) => void dead.push({ key: d.key, value: d.value, headers: d.headers })],
      });
      return dead;
    }

    const eventually = (what: string, check: () => boolean) => waitUntil(what, check, waitMs);
    const quiet = () => sleep(quietMs);

    it('delivers every published message to a new group, starting from the earliest offset', async () => {
      const topic = await f.createTopic(3);
      const sent = counted(12, (seq) => `key-${seq % 4}`);
      await f.publisher.publish(topic, sent.slice(0, 6), { headers: { 'x-contract': 'first' } });
      await f.publisher.publish(topic, sent.slice(6), { headers: { 'x-contract': 'second' } });

      const group = uniqueGroup();
      const got: { envelope: Envelope; topic: string; group: string; header?: string }[] = [];
      await subscribe(f.newSubscriber(), {
        group,
        topic,
        partitions: 3,
        handler: async (envelope, ctx) =>
          void got.push({ envelope, topic: ctx.topic, group: ctx.group, header: ctx.headers['x-contract'] }),
      });

      await eventually('12 messages', () => got.length >= 12);
      await quiet();
      expect(bySeq(got.map((g) => g.envelope))).toEqual(sent);
      expect(new Set(got.map((g) => `${g.topic} ${g.group}`))).toEqual(new Set([`${topic} ${group}`]));
      expect(got.filter((g) => seqOf(g.envelope) < 6).every((g) => g.header === 'first')).toBe(true);
      expect(got.filter((g) => seqOf(g.envelope) >= 6).every((g) => g.header === 'second')).toBe(true);
    });

    it('keeps the order of each key while partitions are processed concurrently', async () => {
      const topic = await f.createTopic(4);
      const keys = 12;
      const sent = counted(72, (seq) => `key-${seq % keys}`);
      for (let i = 0; i < sent.length; i += 12) await f.publisher.publish(topic, sent.slice(i, i + 12));

      const seen: Counted[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      await subscribe(f.newSubscriber(), {
        group: uniqueGroup(),
        topic,
        partitions: 4,
        handler: async (envelope) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await sleep(2 + (seqOf(envelope) % 3) * 3);
          inFlight--;
          seen.push(envelope as Counted);
        },
      });

      await eventually('72 messages', () => seen.length >= 72);
      await quiet();
      expect(seen).toHaveLength(72);
      for (let k = 0; k < keys; k++) {
        const seqs = seen.filter((e) => e.key === `key-${k}`).map(seqOf);
        expect(seqs).toEqual(sent.filter((e) => e.key === `key-${k}`).map(seqOf));
      }
      // Without concurrency this test would prove nothing about ordering under it.
      expect(maxInFlight).toBeGreaterThan(1);
    });

    it('gives every message to each of two groups', async () => {
      const topic = await f.createTopic(3);
      const sent = counted(10, (seq) => `key-${seq}`);
      await f.publisher.publish(topic, sent);

      const byGroup = new Map<string, Envelope[]>([
        [uniqueGroup(), []],
        [uniqueGroup(), []],
      ]);
      for (const [group, got] of byGroup) {
        await subscribe(f.newSubscriber(), { group, topic, partitions: 3, handler: async (e) => void got.push(e) });
      }

      await eventually('10 messages in each group', () => [...byGroup.values()].every((got) => got.length >= 10));
      await quiet();
      for (const got of byGroup.values()) expect(bySeq(got)).toEqual(sent);
    });

    it('splits the partitions of a group between two members, and no message is handled twice while both run', async () => {
      const topic = await f.createTopic(4);
      const group = uniqueGroup();
      const handled: { member: number; seq: number }[] = [];
      const members = [f.newSubscriber(), f.newSubscriber()];
      for (const [member, subscriber] of members.entries()) {
        await subscribe(subscriber, {
          group,
          topic,
          partitions: 4,
          handler: async (e) => void handled.push({ member, seq: seqOf(e) }),
        });
      }
      await eventually('both members to share the 4 partitions', () => {
        const health = members.map((m) => m.health()[0]);
        return (
          health.every((h) => h?.joined && h.assignedPartitions > 0) &&
          health.reduce((n, h) => n + (h?.assignedPartitions ?? 0), 0) === 4
        );
      });

      const sent = counted(40, (seq) => `key-${seq % 20}`);
      await f.publisher.publish(topic, sent);

      await eventually('40 messages', () => handled.length >= 40);
      await quiet();
      expect(handled.map((h) => h.seq).sort((a, b) => a - b)).toEqual(sent.map(seqOf));
      expect(new Set(handled.map((h) => h.member))).toEqual(new Set([0, 1]));
    });

    it('retries a transient failure until it succeeds, processing the message once and holding back its partition', async () => {
      const topic = await f.createTopic(2);
      const sent = counted(3, () => 'same-key');
      const calls: string[] = [];
      const processed: number[] = [];
      let failures = 0;
      await subscribe(f.newSubscriber(), {
        group: uniqueGroup(),
        topic,
        partitions: 2,
        handler: async (e, ctx) => {
          calls.push(`${seqOf(e)}#${ctx.attempt}`);
          if (seqOf(e) === 0 && failures++ < 3) throw new TransientError('CONTRACT_STORE_DOWN', 'store unreachable');
          processed.push(seqOf(e));
        },
      });
      await f.publisher.publish(topic, sent);

      await eventually('3 messages processed', () => processed.length >= 3);
      await quiet();
      expect(processed).toEqual([0, 1, 2]);
      expect(calls).toEqual(['0#1', '0#2', '0#3', '0#4', '1#1', '2#1']);
    });

    it('dead-letters a permanent failure with its origin, then processes the later messages of its partition', async () => {
      const topic = await f.createTopic(2);
      const group = uniqueGroup();
      await f.createTopic(1, deadLetterTopic(group));
      const sent = counted(3, () => 'poison-key');
      const originals = new Map<number, { value: Buffer | null; partition: number; offset: string }>();
      const processed: number[] = [];
      const dead = await readDeadLetters(group);
      await subscribe(f.newSubscriber(), {
        group,
        topic,
        partitions: 2,
        outer: [
          (next) => async (d) => {
            originals.set(seqOf(d.envelope), { value: d.value, partition: d.partition, offset: d.offset });
            await next(d);
          },
        ],
        handler: async (e) => {
          if (seqOf(e) === 0) throw new PermanentError('CONTRACT_POISON', `poison: ${'x'.repeat(3000)}`);
          processed.push(seqOf(e));
        },
      });
      const before = Date.now();
      await f.publisher.publish(topic, sent, { headers: { 'x-contract': 'kept' } });

      await eventually('a dead letter and the 2 later messages', () => dead.length >= 1 && processed.length >= 2);
      await quiet();
      expect(processed).toEqual([1, 2]);
      expect(dead).toHaveLength(1);
      const [letter] = dead;
      const origin = originals.get(0);
      expect(letter?.key).toBe('poison-key');
      expect(letter?.value?.equals(origin?.value ?? Buffer.alloc(0))).toBe(true);
      expect(letter?.headers).toMatchObject({
        'x-contract': 'kept',
        [DeadLetterHeaders.originTopic]: topic,
        [DeadLetterHeaders.originPartition]: String(origin?.partition),
        [DeadLetterHeaders.originOffset]: origin?.offset,
        [DeadLetterHeaders.originKey]: 'poison-key',
        [DeadLetterHeaders.group]: group,
        [DeadLetterHeaders.errorCode]: 'CONTRACT_POISON',
        [DeadLetterHeaders.attempts]: '1',
      });
      const errorMessage = letter?.headers[DeadLetterHeaders.errorMessage] ?? '';
      expect(errorMessage.startsWith('poison: xxx')).toBe(true);
      expect(Buffer.byteLength(errorMessage)).toBeLessThanOrEqual(ERROR_MESSAGE_MAX_BYTES);
      const failedAt = Date.parse(letter?.headers[DeadLetterHeaders.failedAt] ?? '');
      expect(failedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(failedAt).toBeLessThanOrEqual(Date.now());
    });

    it(`retries an unclassified failure ${MAX_ATTEMPTS} times, then dead-letters it with the attempt count`, async () => {
      const topic = await f.createTopic(1);
      const group = uniqueGroup();
      await f.createTopic(1, deadLetterTopic(group));
      const sent = counted(2, () => 'buggy-key');
      const calls: number[] = [];
      const processed: number[] = [];
      const dead = await readDeadLetters(group);
      await subscribe(f.newSubscriber(), {
        group,
        topic,
        partitions: 1,
        handler: async (e) => {
          calls.push(seqOf(e));
          if (seqOf(e) === 0) throw new Error('a bug');
          processed.push(seqOf(e));
        },
      });
      await f.publisher.publish(topic, sent);

      await eventually('a dead letter and the later message', () => dead.length >= 1 && processed.length >= 1);
      await quiet();
      expect(calls).toEqual([...Array<number>(MAX_ATTEMPTS).fill(0), 1]);
      expect(dead).toHaveLength(1);
      expect(dead[0]?.headers).toMatchObject({
        [DeadLetterHeaders.errorCode]: HANDLER_FAILED_REPEATEDLY,
        [DeadLetterHeaders.attempts]: String(MAX_ATTEMPTS),
      });
      expect(dead[0]?.headers[DeadLetterHeaders.errorMessage]).toContain('a bug');
    });

    it('commits an offset only after success: the message in flight when its subscriber closes goes to the next member', async () => {
      const topic = await f.createTopic(1);
      const group = uniqueGroup();
      const sent = counted(3, () => 'one-key');
      await f.publisher.publish(topic, sent);

      const first: number[] = [];
      let blocked = false;
      const subscriber = f.newSubscriber();
      await subscribe(subscriber, {
        group,
        topic,
        partitions: 1,
        handler: async (e, ctx) => {
          if (seqOf(e) === 1) {
            blocked = true;
            // A handler that honours its signal: it gives up when the partition is taken away.
            await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new DeliveryAbortedError())));
          }
          first.push(seqOf(e));
        },
      });
      await eventually('the second message to block', () => blocked);
      await subscriber.close();

      const second: number[] = [];
      await subscribe(f.newSubscriber(), { group, topic, partitions: 1, handler: async (e) => void second.push(seqOf(e)) });
      await eventually('the rest of the partition', () => second.length >= 2);
      await quiet();
      expect(first).toEqual([0]);
      // 0 succeeded, so its offset was committed; 1 never did, so it was not.
      expect(second).toEqual([1, 2]);
    });

    it('close() resolves only after in-flight handlers finished, and commits what they finished', async () => {
      const topic = await f.createTopic(1);
      const group = uniqueGroup();
      const sent = counted(2, () => 'one-key');
      await f.publisher.publish(topic, sent);

      const events: string[] = [];
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const subscriber = f.newSubscriber();
      await subscribe(subscriber, {
        group,
        topic,
        partitions: 1,
        handler: async (e) => {
          events.push(`start ${seqOf(e)}`);
          // Ignores the signal on purpose: close() has to wait for it regardless.
          await gate;
          events.push(`finish ${seqOf(e)}`);
        },
      });
      await eventually('the first message to start', () => events.includes('start 0'));

      const closing = subscriber.close().then(() => void events.push('closed'));
      await sleep(Math.max(quietMs, 200));
      expect(events).toEqual(['start 0']);
      release();
      await closing;
      expect(events).toEqual(['start 0', 'finish 0', 'closed']);

      const second: number[] = [];
      await subscribe(f.newSubscriber(), { group, topic, partitions: 1, handler: async (e) => void second.push(seqOf(e)) });
      await eventually('the rest of the partition', () => second.length >= 1);
      await quiet();
      expect(second).toEqual([1]);
    });
  });
}

/** Messages with seq 0..n-1, in publish order. */
function counted(n: number, keyOf: (seq: number) => string): Counted[] {
  return Array.from({ length: n }, (_, seq) => newEnvelope(Counted, keyOf(seq), { seq }, null) as Counted);
}

function seqOf(e: Envelope): number {
  return (e.data as { seq: number }).seq;
}

function bySeq(envelopes: readonly Envelope[]): Envelope[] {
  return [...envelopes].sort((a, b) => seqOf(a) - seqOf(b));
}

function uniqueGroup(): string {
  return `contract.${randomUUID().slice(0, 8)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
