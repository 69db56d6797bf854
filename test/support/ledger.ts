import { createHash, randomUUID } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { ConsumerGroups, deadLetterTopic, LedgerCommands, type Envelope } from '@bulwark/contracts';
import { createKafka, KafkaPublisher, newEnvelope } from '@bulwark/messaging';
import { stack, waitFor } from './stack';

/** The ledger's account document as the tests read it (no app code imported: apps are black boxes). */
interface AccountDoc {
  _id: string;
  state: { balance: number; entries: { seq: number; amount: number }[] };
  inbox: string[];
  outbox: unknown[];
}

export class LedgerHarness {
  readonly runId = randomUUID().slice(0, 8);
  readonly kafka = createKafka({ brokers: stack.brokers, clientId: `ledger-test-${this.runId}` });
  readonly publisher = new KafkaPublisher(this.kafka, { timeoutMs: 30_000 });
  private readonly mongo = new MongoClient(stack.mongoUrl('ledger'), { serverSelectionTimeoutMS: 5000, retryWrites: false });
  /** Every command published, in publish order per account. */
  readonly sent: Envelope[] = [];

  accounts(): Collection<AccountDoc> {
    return this.mongo.db('ledger').collection<AccountDoc>('accounts');
  }

  account(i: number): string {
    return `acct-${this.runId}-${i}`;
  }

  /** Publishes `perAccount` entries (seq 0..n-1, amount 1) to each of `accounts` accounts, interleaved. */
  async publishEntries(accounts: number, perAccount: number, fromSeq = 0): Promise<Envelope[]> {
    const batch: Envelope[] = [];
    for (let seq = fromSeq; seq < fromSeq + perAccount; seq++) {
      for (let a = 0; a < accounts; a++) {
        const account = this.account(a);
        batch.push(newEnvelope(LedgerCommands.messages.AppendEntry, account, { account, seq, amount: 1 }));
      }
    }
    // Concurrent publishes of up to 500 messages; the publisher keeps each key's order.
    const chunks: Envelope[][] = [];
    for (let i = 0; i < batch.length; i += 500) chunks.push(batch.slice(i, i + 500));
    await Promise.all(chunks.map((c) => this.publisher.publish(LedgerCommands.name, c)));
    this.sent.push(...batch);
    return batch;
  }

  async docs(): Promise<AccountDoc[]> {
    return this.accounts()
      .find({ _id: { $regex: `^acct-${this.runId}-` } })
      .toArray();
  }

  async appliedCount(): Promise<number> {
    return (await this.docs()).reduce((n, d) => n + d.state.entries.length, 0);
  }

  async waitAllApplied(timeoutMs: number, expected = this.sent.length): Promise<void> {
    let last = 0;
    await waitFor(
      `${expected} ledger entries applied`,
      async () => {
        last = await this.appliedCount();
        return last >= expected;
      },
      timeoutMs,
      1000,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (applied ${last})`);
    });
  }

  /**
   * The effectively-once verdict. Each command has a unique (account, seq), so: every command
   * applied exactly once = each sent (account, seq) appears exactly once among the account's
   * entries; nothing unknown applied; and each account's entries in increasing seq order.
   */
  async verifyExactlyOnceInOrder(): Promise<{ applied: number; duplicates: string[]; missing: string[]; outOfOrder: string[] }> {
    const counts = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (const doc of await this.docs()) {
      const seqs = doc.state.entries.map((e) => e.seq);
      if (seqs.some((s, i) => i > 0 && s <= (seqs[i - 1] ?? -1))) outOfOrder.push(doc._id);
      for (const seq of seqs) counts.set(`${doc._id}#${seq}`, (counts.get(`${doc._id}#${seq}`) ?? 0) + 1);
    }
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const sentIds = this.sent.map((e) => `${e.key}#${(e.data as { seq: number }).seq}`);
    const missing = sentIds.filter((id) => !counts.has(id));
    const sentSet = new Set(sentIds);
    const unknown = [...counts.keys()].filter((id) => !sentSet.has(id));
    return { applied: [...counts.values()].reduce((a, b) => a + b, 0) - unknown.length, duplicates, missing, outOfOrder };
  }

  /** sha256 over every account's (id, state), sorted: identical state gives an identical hash. */
  async stateHash(): Promise<string> {
    const docs = (await this.docs()).sort((a, b) => a._id.localeCompare(b._id));
    return createHash('sha256')
      .update(JSON.stringify(docs.map((d) => [d._id, d.state])))
      .digest('hex');
  }

  /** Dead letters of the ledger group whose origin key belongs to this run. */
  async deadLetters(): Promise<{ key: string | null; headers: Record<string, string>; value: string }[]> {
    const consumer = this.kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    const found: { key: string | null; headers: Record<string, string>; value: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(ConsumerGroups.ledger), fromBeginning: true });
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(deadLetterTopic(ConsumerGroups.ledger));
    await admin.disconnect();
    const remaining = new Map(ends.map((p) => [p.partition, Number(p.high)]));
    const done = new Promise<void>((resolve) => {
      const check = () => [...remaining.values()].every((v) => v <= 0) && resolve();
      check();
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          const key = message.key?.toString() ?? null;
          if (key?.startsWith(`acct-${this.runId}-`)) found.push({ key, headers, value: message.value?.toString() ?? '' });
          remaining.set(partition, Number(ends.find((p) => p.partition === partition)?.high ?? 0) - Number(message.offset) - 1);
          check();
        },
      });
    });
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
    await consumer.disconnect();
    return found;
  }

  async close(): Promise<void> {
    await this.publisher.close();
    await this.mongo.close();
  }
}

/** The verdict every ledger chaos test expects: all `expected` applied once, none missing, in order. */
export function expectExactlyOnceInOrder(
  verdict: Awaited<ReturnType<LedgerHarness['verifyExactlyOnceInOrder']>>,
  expected: number,
): void {
  expect({
    applied: verdict.applied,
    duplicates: verdict.duplicates,
    missing: verdict.missing,
    outOfOrder: verdict.outOfOrder,
  }).toEqual({
    applied: expected,
    duplicates: [],
    missing: [],
    outOfOrder: [],
  });
}
