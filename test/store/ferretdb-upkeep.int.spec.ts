import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { stack, waitFor } from '../support/stack';

/**
 * The local store's upkeep (infra/local/ferretdb/upkeep.go): lookups by _id use an index, and a
 * database's write-ahead log does not grow without bound. Both are about the FerretDB the
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
