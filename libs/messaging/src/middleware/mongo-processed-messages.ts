import type { mongo } from 'mongoose';
import type { ProcessedMessages } from '../ports/processed-messages.port';

export interface ProcessedMessageDocument {
  /** `<group>:<message id>`: one index (the primary key) serves both the lookup and uniqueness. */
  readonly _id: string;
  readonly group: string;
  readonly messageId: string;
  readonly processedAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * ProcessedMessages in a MongoDB collection (works on FerretDB: primary-key lookups and inserts
 * only). Group ids are declared constants without ':' (libs/contracts ConsumerGroups), so the
 * `_id` is unambiguous.
 *
 * HAZARD: the collection grows by one document per processed message. FerretDB has no TTL
 * indexes, so pruning (by processedAt, older than the longest redelivery window) is a job.
 */
export class MongoProcessedMessages implements ProcessedMessages {
  constructor(
    private readonly collection: mongo.Collection<ProcessedMessageDocument>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async has(group: string, messageId: string): Promise<boolean> {
    const found = await this.collection.findOne({ _id: idOf(group, messageId) }, { projection: { _id: 1 } });
    return found !== null;
  }

  async add(group: string, messageId: string): Promise<void> {
    try {
      await this.collection.insertOne({ _id: idOf(group, messageId), group, messageId, processedAt: this.now() });
    } catch (err) {
      // Already recorded (a redelivery raced the first run, or `add` was retried): the goal holds.
      if ((err as { code?: unknown }).code === DUPLICATE_KEY) return;
      throw err;
    }
  }
}

function idOf(group: string, messageId: string): string {
  return `${group}:${messageId}`;
}
