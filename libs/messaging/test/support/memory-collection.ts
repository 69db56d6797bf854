import type { Collection, Document } from 'mongodb';

type Filter = { _id: string; version?: number };
type Update = {
  $set?: Record<string, unknown>;
  $push?: Record<string, { $each: unknown[] }>;
  $inc?: Record<string, number>;
  $pullAll?: Record<string, unknown[]>;
};

/**
 * Just enough of a MongoDB collection for applyOnce and OutboxRelay (findOne, insertOne,
 * updateOne, findOneAndUpdate by _id, the operators they use), so a unit test can run a
 * service's consumers end to end without a store. Documents are copied in and out, as a
 * store would.
 */
export class MemoryCollection<T extends Document> {
  readonly docs = new Map<string, Record<string, unknown>>();

  constructor(readonly collectionName: string) {}

  get namespace(): string {
    return `unit.${this.collectionName}`;
  }

  asCollection(): Collection<T> {
    return this as unknown as Collection<T>;
  }

  get(id: string): T | undefined {
    const doc = this.docs.get(id);
    return doc ? (structuredClone(doc) as T) : undefined;
  }

  async findOne(filter: Filter): Promise<Record<string, unknown> | null> {
    const doc = this.docs.get(filter._id);
    return doc ? structuredClone(doc) : null;
  }

  async insertOne(doc: Record<string, unknown>): Promise<{ acknowledged: true }> {
    const id = String(doc._id);
    if (this.docs.has(id)) throw Object.assign(new Error(`duplicate key ${id}`), { code: 11000 });
    this.docs.set(id, structuredClone(doc));
    return { acknowledged: true };
  }

  async updateOne(filter: Filter, update: Update): Promise<{ matchedCount: number }> {
    const doc = this.match(filter);
    if (!doc) return { matchedCount: 0 };
    this.docs.set(filter._id, apply(doc, update));
    return { matchedCount: 1 };
  }

  async findOneAndUpdate(filter: Filter, update: Update): Promise<Record<string, unknown> | null> {
    const doc = this.match(filter);
    if (!doc) return null;
    const after = apply(doc, update);
    this.docs.set(filter._id, after);
    return structuredClone(after);
  }

  private match(filter: Filter): Record<string, unknown> | undefined {
    const doc = this.docs.get(filter._id);
    if (!doc || (filter.version !== undefined && doc.version !== filter.version)) return undefined;
    return doc;
  }
}

function apply(doc: Record<string, unknown>, update: Update): Record<string, unknown> {
  const next = structuredClone(doc);
  Object.assign(next, structuredClone(update.$set ?? {}));
  for (const [field, { $each }] of Object.entries(update.$push ?? {})) {
    next[field] = [...((next[field] as unknown[]) ?? []), ...structuredClone($each)];
  }
  for (const [field, by] of Object.entries(update.$inc ?? {})) next[field] = ((next[field] as number) ?? 0) + by;
  for (const [field, values] of Object.entries(update.$pullAll ?? {})) {
    const drop = new Set(values.map((v) => JSON.stringify(v)));
    next[field] = ((next[field] as unknown[]) ?? []).filter((v) => !drop.has(JSON.stringify(v)));
  }
  return next;
}
