import { ConsumerGroups, deadLetterTopic, LedgerCommands } from '@bulwark/contracts';
import { newEnvelope } from '@bulwark/messaging';
import { supervisor, waitFor } from '../support/stack';
import { waitForHealthyStack } from '../support/cluster';
import { expectExactlyOnceInOrder, LedgerHarness } from '../support/ledger';

describe('ledger: poison messages and a store outage', () => {
  const ledger = new LedgerHarness();
  beforeAll(() => waitForHealthyStack());
  afterAll(() => ledger.close());

  it('dead-letters a poison message with its origin headers, and later messages on the same partition are processed', async () => {
    const account = ledger.account(0);
    await ledger.publishEntries(1, 3, 0); // seq 0..2, balance 3
    // Schema-invalid (amount is not an integer): can never succeed.
    const invalid = {
      ...newEnvelope(LedgerCommands.messages.AppendEntry, account, { account, seq: 3, amount: 1 }),
      data: { account, seq: 3, amount: 'lots' },
    };
    // Breaks the rule (balance would go negative): fails the same way every time.
    const overdraft = newEnvelope(LedgerCommands.messages.AppendEntry, account, { account, seq: 4, amount: -100 });
    await ledger.publisher.publishRaw(LedgerCommands.name, [
      { key: account, value: Buffer.from(JSON.stringify(invalid)), headers: {} },
    ]);
    await ledger.publisher.publish(LedgerCommands.name, [overdraft]);
    await ledger.publishEntries(1, 2, 5); // seq 5, 6 after the poison, same key, same partition
    await ledger.waitAllApplied(120_000, 5);

    const letters = await waitFor(
      'two dead letters',
      async () => {
        const found = await ledger.deadLetters();
        return found.length >= 2 ? found : null;
      },
      90_000,
      2000,
    );
    const byCode = Object.fromEntries(letters.map((l) => [l.headers['bulwark-dlq-error-code'], l]));
    expect(Object.keys(byCode).sort()).toEqual(['BLW_SCHEMA_INVALID', 'LEDGER_INSUFFICIENT_FUNDS']);
    for (const letter of letters) {
      expect(letter.key).toBe(account);
      expect(letter.headers).toMatchObject({
        'bulwark-dlq-origin-topic': LedgerCommands.name,
        'bulwark-dlq-group': ConsumerGroups.ledger,
      });
      expect(Number(letter.headers['bulwark-dlq-origin-partition'])).toBeGreaterThanOrEqual(0);
      expect(Number(letter.headers['bulwark-dlq-origin-offset'])).toBeGreaterThanOrEqual(0);
      expect(Number(letter.headers['bulwark-dlq-attempts'])).toBeGreaterThanOrEqual(1);
      expect(letter.headers['bulwark-dlq-error-message']).toBeTruthy();
    }
    // The original bytes are kept, so the letter can be inspected and redriven as it was.
    expect(JSON.parse(byCode.BLW_SCHEMA_INVALID?.value ?? '{}')).toEqual(invalid);

    const [doc] = await ledger.docs();
    expect(doc?.state.entries.map((e) => e.seq)).toEqual([0, 1, 2, 5, 6]);
    expect(doc?.state.balance).toBe(5);
    expect(deadLetterTopic(ConsumerGroups.ledger)).toBe('ledger.dlq');
  });

  it('waits out a 30 s store outage: nothing lost, nothing dead-lettered, nothing applied twice', async () => {
    const outage = new LedgerHarness();
    try {
      const lettersBefore = (await outage.deadLetters()).length;
      await outage.publishEntries(20, 5, 0);
      await supervisor.stop('ferretdb');
      try {
        await outage.publishEntries(20, 5, 5); // arrive while the store is down
        await new Promise((r) => setTimeout(r, 30_000));
      } finally {
        await supervisor.start('ferretdb');
      }
      await supervisor.waitReady('ferretdb');
      await outage.waitAllApplied(180_000);
      const verdict = await outage.verifyExactlyOnceInOrder();
      expectExactlyOnceInOrder(verdict, 200);
      expect((await outage.deadLetters()).length).toBe(lettersBefore);
    } finally {
      await outage.close();
    }
  });
});
