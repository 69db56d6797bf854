import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { z } from 'zod';
import { message, type Envelope } from '@bulwark/contracts';
import { stack } from '../../../../test/support/stack';
import { newEnvelope } from '../envelope/new-envelope';
import type { PublishOptions, Publisher } from '../ports/publisher.port';
import type { AggregateDocument } from './aggregate-document';
import { applyOnce, type IncomingRef } from './apply-once';
import { OutboxRelay } from './outbox-relay';
import { OutboxSweeper } from './outbox-sweeper';

/** A publisher that records, and can be told to fail: the store side is what is under test here. */
class RecordingPublisher implements Publisher {
  readonly sent: { topic: string; envelope: Envelope }[] = [];
  failing = false;
  async publish(topic: string, messages: readonly Envelope[], _options?: PublishOptions): Promise<void> {
    if (this.failing) throw Object.assign(new Error('broker down'), { retriable: true });
    for (const envelope of messages) this.sent.push({ topic, envelope });
  }
}

const Counted = message('Counted', 1, z.object({ total: z.number() }).strict());
type State = { total: number };

describe.each([
  ['with compare-and-set', true],
  ['with _id-only writes (FerretDB)', false],
])('inbox and outbox in one document on the real store, %s', (_label, compareAndSet) => {
  const client = new MongoClient(stack.mongoUrl('outbox_int'), { retryWrites: false, serverSelectionTimeoutMS: 5000 });
  let collection: Collection<AggregateDocument<State>>;
  const publisher = new RecordingPublisher();
  const ref = (offset: number, id = randomUUID(), partition = 0): IncomingRef => ({
    id,
    topic: 'it.topic',
    partition,
    offset: String(offset),
  });
  const add = (n: number) => (state: State | null) => {
    const total = (state?.total ?? 0) + n;
    return {
      state: { total },
      events: [{ topic: 'it.events', envelope: newEnvelope(Counted, 'k', { total }, null), headers: {} }],
    };
  };

  beforeAll(async () => {
    await client.connect();
    collection = client.db('outbox_int').collection<AggregateDocument<State>>(`docs_${randomUUID().slice(0, 8)}`);
  });
  afterAll(async () => {
    await collection.drop().catch(() => undefined);
    await client.close();
  });

  it('applies a message once: state, inbox and outbox in one document; a redelivery is a duplicate', async () => {
    const key = `a-${randomUUID()}`;
    const first = ref(10);
    expect((await applyOnce(collection, key, first, add(5), { compareAndSet })).status).toBe('applied');
    expect((await applyOnce(collection, key, first, add(5), { compareAndSet })).status).toBe('duplicate');
    expect((await applyOnce(collection, key, ref(11), add(2), { compareAndSet })).status).toBe('applied');
    const doc = await collection.findOne({ _id: key });
    expect(doc?.state).toEqual({ total: 7 });
    expect(doc?.inbox).toHaveLength(2);
    expect(doc?.outbox.map((e) => (e.envelope.data as { total: number }).total)).toEqual([5, 7]);
    expect(doc?.outboxCount).toBe(2);
  });

  it('fences a stale delivery: an offset at or below the last applied from that partition changes nothing', async () => {
    const key = `f-${randomUUID()}`;
    await applyOnce(collection, key, ref(20), add(1), { compareAndSet });
    expect((await applyOnce(collection, key, ref(19), add(100), { compareAndSet })).status).toBe('fenced');
    expect((await applyOnce(collection, key, ref(20), add(100), { compareAndSet })).status).toBe('fenced');
    // Another partition (another topic feeding the same aggregate) has its own position.
    expect((await applyOnce(collection, key, ref(5, randomUUID(), 1), add(1), { compareAndSet })).status).toBe('applied');
    expect((await collection.findOne({ _id: key }))?.state).toEqual({ total: 2 });
  });

  it('relays the outbox in order and removes only what it published', async () => {
    const key = `r-${randomUUID()}`;
    const relay = new OutboxRelay(collection, publisher);
    await applyOnce(collection, key, ref(1), add(1), { compareAndSet });
    await applyOnce(collection, key, ref(2), add(1), { compareAndSet });
    const before = publisher.sent.length;
    expect(await relay.flush(key)).toBe(2);
    expect(publisher.sent.slice(before).map((s) => (s.envelope.data as { total: number }).total)).toEqual([1, 2]);
    const doc = await collection.findOne({ _id: key });
    expect(doc?.outbox).toEqual([]);
    expect(doc?.outboxCount).toBe(0);
    expect(await relay.flush(key)).toBe(0);
  });

  it('keeps the outbox when publishing fails, and the sweeper publishes it later', async () => {
    const key = `s-${randomUUID()}`;
    const relay = new OutboxRelay(collection, publisher);
    await applyOnce(collection, key, ref(1), add(3), { compareAndSet, now: () => new Date(Date.now() - 60_000) });
    publisher.failing = true;
    await expect(relay.flush(key)).rejects.toThrow('broker down');
    expect((await collection.findOne({ _id: key }))?.outboxCount).toBe(1);
    publisher.failing = false;
    const sweeper = new OutboxSweeper(collection, relay, { graceMs: 1000, clearsOutbox: compareAndSet });
    const before = publisher.sent.length;
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    const ofKey = () => publisher.sent.slice(before); // tests run one at a time: all of these are this key's
    expect(ofKey().map((s) => (s.envelope.data as { total: number }).total)).toEqual([3]);
    if (compareAndSet) {
      expect((await collection.findOne({ _id: key }))?.outboxCount).toBe(0);
    } else {
      // Not the owner: it publishes, leaves the document alone, and does not send it again.
      expect((await collection.findOne({ _id: key }))?.outboxCount).toBe(1);
      await sweeper.sweepOnce();
      expect(ofKey()).toHaveLength(1);
      // The owner's next write and relay clear it (and send the old entry once more: consumers dedupe).
      const written = await applyOnce(collection, key, ref(2), add(1), { compareAndSet });
      expect(written.status).toBe('applied');
      if (written.status === 'applied') await relay.flush(key, written.document);
      expect((await collection.findOne({ _id: key }))?.outboxCount).toBe(0);
    }
  });

  it('loses nothing when writes and outbox clean-ups of one key overlap in one process', async () => {
    // FerretDB runs each update as read-modify-write without isolation: two in flight on one
    // document lose one. applyOnce and the relay serialise per key (writer-lock.ts).
    const key = `c-${randomUUID()}`;
    const relay = new OutboxRelay(collection, publisher);
    const work: Promise<unknown>[] = [];
    for (let i = 1; i <= 60; i++) {
      work.push(
        applyOnce(collection, key, ref(i), add(1), { compareAndSet }).then((r) =>
          r.status === 'applied' ? relay.flush(key, r.document) : 0,
        ),
      );
      work.push(relay.flush(key));
    }
    await Promise.all(work);
    const doc = await collection.findOne({ _id: key });
    expect(doc?.state).toEqual({ total: 60 });
    expect(doc?.inbox).toHaveLength(60);
    expect(doc?.outbox).toEqual([]);
  });
});
