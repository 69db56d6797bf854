import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { stack } from '../../../../test/support/stack';
import { MongoProcessedMessages, type ProcessedMessageDocument } from './mongo-processed-messages';

describe('MongoProcessedMessages on the MongoDB API (FerretDB locally)', () => {
  const connection = mongoose.createConnection(process.env.MONGO_URL ?? stack.mongoUrl('bulwark_it_messaging'), {
    serverSelectionTimeoutMS: 5000,
    retryWrites: false,
  });
  const name = `processed_${randomUUID().slice(0, 8)}`;
  const collection = () => connection.db!.collection<ProcessedMessageDocument>(name);

  beforeAll(async () => {
    await connection.asPromise();
  });
  afterAll(async () => {
    await collection()
      .drop()
      .catch(() => undefined);
    await connection.close();
  });

  it('remembers ids per group, stored as "<group>:<id>"', async () => {
    const processed = new MongoProcessedMessages(collection(), () => new Date('2025-01-02T03:04:05Z'));
    expect(await processed.has('g1', 'm1')).toBe(false);

    await processed.add('g1', 'm1');

    expect(await processed.has('g1', 'm1')).toBe(true);
    expect(await processed.has('g2', 'm1')).toBe(false);
    expect(await collection().findOne({ _id: 'g1:m1' })).toEqual({
      _id: 'g1:m1',
      group: 'g1',
      messageId: 'm1',
      processedAt: new Date('2025-01-02T03:04:05Z'),
    });
  });

  it('accepts recording the same id twice, concurrently too (the duplicate-key error is expected)', async () => {
    const processed = new MongoProcessedMessages(collection());
    await Promise.all([processed.add('g1', 'twice'), processed.add('g1', 'twice')]);
    await processed.add('g1', 'twice');
    expect(await collection().countDocuments({ _id: 'g1:twice' })).toBe(1);
  });
});
