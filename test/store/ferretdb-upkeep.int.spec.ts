import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { applyOnce, ensureVersionGuard, isStaleWrite, type AggregateDocument } from '@bulwark/messaging';
import { stack, waitFor } from '../support/stack';

/**
 * The local store's upkeep (infra/local/ferretdb/upkeep.go): lookups by _id use an index, an
 * aggregate collection's version guard refuses writes from outdated reads, and a database's
 * write-ahead log does not grow without bound. Both are about the FerretDB the
 * stack runs, so they talk to it and read its files; a real MongoDB needs neither.
 */
const DATA_DIR = process.env.BULWARK_DATA_DIR ?? resolve(__dirname, '../../.data/test');

describe('FerretDB upkeep', () => {
  const dbName = `upkeep_${randomUUID().slice(0, 8)}`;
  const mongo = new MongoClient(stack.mongoUrl(dbName), { serverSelectionTimeoutMS: 5000, retryWrites: false });
  afterAll(async () => {
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
  });

  /** SQLite's plan for FerretDB's query (explain's queryPlanner.Plan lines). */
  const plan = async (collection: string, filter: object): Promise<string> => {
    const explained = (await mongo.db(dbName).command({ explain: { find: collection, filter, limit: 1 } })) as {
      queryPlanner?: { Plan?: string[] };
    };
    return (explained.queryPlanner?.Plan ?? []).join('\n');
  };

  it('finds documents by _id through an index, in a collection created a moment ago', async () => {
    const accounts = mongo.db(dbName).collection<{ _id: string; n: number }>('accounts');
    await accounts.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `a-${n}`, n })));
    // A connection sees a new index once it runs a statement that reads the table (EXPLAIN
    // alone does not check the schema), hence the findOne before each explain.
    await waitFor(
      'an index search for _id',
      async () =>
        (await accounts.findOne({ _id: 'a-7' })) !== null && /SEARCH .* USING INDEX/.test(await plan('accounts', { _id: 'a-7' })),
      10_000,
    );
    // The index must give the same answers as the scan it replaces.
    expect(await accounts.findOne({ _id: 'a-7' })).toEqual({ _id: 'a-7', n: 7 });
    expect(await accounts.findOne({ _id: 'missing' })).toBeNull();
    await accounts.updateOne({ _id: 'a-7' }, { $inc: { n: 100 } });
    expect(await accounts.findOne({ _id: 'a-7' })).toEqual({ _id: 'a-7', n: 107 });
    await expect(accounts.insertOne({ _id: 'a-7', n: 0 })).rejects.toMatchObject({ code: 11000 });
    expect(await accounts.countDocuments()).toBe(50);
  });

  it("refuses a write computed from an outdated read of a guarded aggregate, so a frozen replica cannot overwrite the new owner's state", async () => {
    type Doc = AggregateDocument<{ applied: string[] }>;
    const aggregates = mongo.db(dbName).collection<Doc>('aggregates');
    await ensureVersionGuard(aggregates);
    const ref = (id: string, offset: number) => ({ id, topic: 't', partition: 0, offset: String(offset) });
    const append = (id: string) => (state: { applied: string[] } | null) => ({
      state: { applied: [...(state?.applied ?? []), id] },
      events: [],
    });
    const options = { compareAndSet: false }; // as on FerretDB
    await applyOnce(aggregates, 'probe', ref('p1', 1), append('p1'), options);
    await applyOnce(aggregates, 'probe', ref('p2', 2), append('p2'), options);
    // The store installs the guard within a second of the index; until then it is not there.
    // Each probe asks for a lower version than the last (an accepted probe lowers it).
    let lower = 1;
    await waitFor(
      'the guard refusing a lower version',
      async () =>
        (await aggregates
          .updateOne({ _id: 'probe' }, { $set: { version: lower-- } })
          .catch((err: unknown) => isStaleWrite(err))) === true,
      10_000,
      250,
    );

    await applyOnce(aggregates, 'acct', ref('m1', 1), append('m1'), options);
    const frozen = await aggregates.findOne({ _id: 'acct' }); // a replica reads, then is frozen
    await applyOnce(aggregates, 'acct', ref('m2', 2), append('m2'), options); // the new owner goes on
    await applyOnce(aggregates, 'acct', ref('m3', 3), append('m3'), options);
    // The frozen replica wakes and writes what it decided from its old read: refused.
    const stale = aggregates.updateOne(
      { _id: 'acct' },
      {
        $set: { state: { applied: ['m1', 'm2'] }, version: (frozen?.version ?? 0) + 1, inbox: [...(frozen?.inbox ?? []), 'm2'] },
      },
    );
    await expect(stale).rejects.toThrow(/bulwark: stale write/);
    // The same base version with another message applied: refused too.
    const current = await aggregates.findOne({ _id: 'acct' });
    await expect(
      aggregates.updateOne({ _id: 'acct' }, { $set: { state: { applied: ['x'] }, inbox: [...(current?.inbox ?? []), 'x'] } }),
    ).rejects.toThrow(/bulwark: stale write/);
    // A write that changes neither version nor inbox (the relay's outbox clean-up) passes.
    await aggregates.updateOne({ _id: 'acct' }, { $set: { outbox: [], outboxCount: 0 } });

    // applyOnce itself: another writer lands between its read and its write; its write is
    // refused, it reads again and applies on top: nothing lost, nothing twice.
    let interleaved = false;
    const racing = new Proxy(aggregates, {
      get(target, prop, receiver) {
        if (prop !== 'updateOne') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<typeof target.updateOne>) => {
          if (!interleaved) {
            interleaved = true;
            const base = await target.findOne({ _id: 'acct' });
            await target.updateOne(
              { _id: 'acct' },
              {
                $set: {
                  state: { applied: [...(base?.state.applied ?? []), 'm4'] },
                  inbox: [...(base?.inbox ?? []), 'm4'],
                  version: (base?.version ?? 0) + 1,
                },
              },
            );
          }
          return target.updateOne(...args);
        };
      },
    });
    const conflicts: string[] = [];
    const result = await applyOnce(racing, 'acct', ref('m5', 5), append('m5'), {
      ...options,
      onConflict: (reason) => conflicts.push(reason),
    });
    expect(result.status).toBe('applied');
    expect(conflicts).toEqual(['stale_write']); // refused once, computed again on m4's state
    const after = await aggregates.findOne({ _id: 'acct' });
    expect(after?.state.applied).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(after?.version).toBe(5);
  });

  it('truncates a write-ahead log past 64 MiB once no reader needs it, keeping every document', async () => {
    const blobs = mongo.db(dbName).collection<{ _id: number; body: string }>('blobs');
    const wal = resolve(DATA_DIR, 'ferretdb', `${dbName}.sqlite-wal`);
    // An open cursor holds a read transaction in FerretDB, as a busy service's reads always
    // do: SQLite then cannot start the log over, and it grows past the limit.
    await blobs.insertMany([
      { _id: -2, body: 'a' },
      { _id: -1, body: 'b' },
    ]);
    const cursor = blobs.find({}, { batchSize: 1 });
    await cursor.next();
    const body = 'x'.repeat(1 << 20);
    for (let i = 0; i < 72; i++) await blobs.insertOne({ _id: i, body });
    expect((await stat(wal)).size).toBeGreaterThan(64 << 20);
    await cursor.close();
    await waitFor('the WAL truncated', async () => (await stat(wal)).size < 64 << 20, 20_000);
    expect(await blobs.countDocuments()).toBe(74);
    const last = await blobs.findOne({ _id: 71 });
    expect(last?.body.length).toBe(1 << 20);
  });
});
