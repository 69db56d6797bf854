/**
 * Just enough of the MongoDB driver's Collection for the ingress's unit tests: the filters and
 * updates the ingress itself uses (equality, $lt, $or; $set; replace and upsert by _id), with
 * documents copied in and out as a store would, and the unique `_id` (error 11000) that the
 * idempotency logic relies on.
 */
type Doc = Record<string, unknown> & { _id: string };
type Filter = Record<string, unknown>;

function matches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$or') return (condition as Filter[]).some((f) => matches(doc, f));
    const value = doc[key];
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      return Object.entries(condition as Record<string, unknown>).every(([op, operand]) => {
        if (op === '$lt') return (value as string) < (operand as string);
        throw new Error(`InMemoryCollection: operator ${op} not supported`);
      });
    }
    return value === condition;
  });
}

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryCollection {
  readonly docs = new Map<string, Doc>();
  /** The next this-many writes fail the way FerretDB's SQLite backend does under a burst (not applied). */
  busyWrites = 0;

  private write(): void {
    if (this.busyWrites > 0) {
      this.busyWrites--;
      throw new Error('database is locked (5) (SQLITE_BUSY)');
    }
  }

  constructor(readonly collectionName: string) {}

  get namespace(): string {
    return `test.${this.collectionName}`;
  }

  async findOne(filter: Filter): Promise<Doc | null> {
    const found = [...this.docs.values()].find((d) => matches(d, filter));
    return found ? copy(found) : null;
  }

  find(filter: Filter) {
    let sort: Record<string, 1 | -1> = {};
    let limit = Infinity;
    const cursor = {
      sort: (spec: Record<string, 1 | -1>) => ((sort = spec), cursor),
      limit: (n: number) => ((limit = n), cursor),
      [Symbol.asyncIterator]: async function* () {
        yield* await cursor.toArray();
      },
      toArray: async (): Promise<Doc[]> =>
        [...this.docs.values()]
          .filter((d) => matches(d, filter))
          .sort((a, b) => {
            for (const [key, direction] of Object.entries(sort)) {
              const x = a[key] as string;
              const y = b[key] as string;
              if (x !== y) return (x < y ? -1 : 1) * direction;
            }
            return 0;
          })
          .slice(0, limit)
          .map(copy),
    };
    return cursor;
  }

  async insertOne(doc: Doc) {
    this.write();
    if (this.docs.has(doc._id)) throw Object.assign(new Error(`E11000 duplicate key ${doc._id}`), { code: 11000 });
    this.docs.set(doc._id, copy(doc));
    return { acknowledged: true, insertedId: doc._id };
  }

  async replaceOne(filter: { _id: string }, doc: Record<string, unknown>, options: { upsert?: boolean } = {}) {
    this.write();
    const exists = this.docs.has(filter._id);
    if (exists || options.upsert) this.docs.set(filter._id, copy({ ...doc, _id: filter._id }));
    return { matchedCount: exists ? 1 : 0 };
  }

  async updateOne(filter: { _id: string }, update: { $set: Record<string, unknown> }) {
    this.write();
    const doc = this.docs.get(filter._id);
    if (doc) this.docs.set(filter._id, copy({ ...doc, ...update.$set }));
    return { matchedCount: doc ? 1 : 0 };
  }

  async deleteOne(filter: Filter) {
    this.write();
    const found = [...this.docs.values()].find((d) => matches(d, filter));
    if (found) this.docs.delete(found._id);
    return { deletedCount: found ? 1 : 0 };
  }

  async deleteMany(filter: Filter) {
    this.write();
    const found = [...this.docs.values()].filter((d) => matches(d, filter));
    found.forEach((d) => this.docs.delete(d._id));
    return { deletedCount: found.length };
  }

  async createIndex() {
    return 'index';
  }
}

/** A mongoose-Connection stand-in whose `db.collection(name)` hands out in-memory collections. */
export function inMemoryDatabase() {
  const collections = new Map<string, InMemoryCollection>();
  const collection = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new InMemoryCollection(name)));
    return c;
  };
  return { connection: { db: { collection } }, collection };
}
