import { ConsumerGroups, LedgerCommands } from '@bulwark/contracts';
import { kafkaTool, KafkaTools, supervisor, waitFor } from '../support/stack';
import { groupMembers, waitForHealthyStack } from '../support/cluster';
import { expectExactlyOnceInOrder, LedgerHarness } from '../support/ledger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ledger consumer group: scaling, replay and a zombie replica', () => {
  beforeAll(() => waitForHealthyStack());
  afterAll(() => supervisor.scale('ledger', 1));

  it('scales 1 -> 3 -> 1 during load with no duplicate effect and order kept per key', async () => {
    const ledger = new LedgerHarness();
    try {
      await supervisor.scale('ledger', 1);
      const load = (async () => {
        for (let wave = 0; wave < 8; wave++) {
          await ledger.publishEntries(25, 10, wave * 10);
          await sleep(1500);
        }
      })();
      await sleep(2000);
      await supervisor.scale('ledger', 3);
      await waitFor('3 ledger members', async () => (await groupMembers(ConsumerGroups.ledger)).length === 3, 60_000, 1000);
      await sleep(3000);
      await supervisor.scale('ledger', 1);
      await waitFor('1 ledger member', async () => (await groupMembers(ConsumerGroups.ledger)).length === 1, 60_000, 1000);
      await load;
      await ledger.waitAllApplied(240_000);
      const verdict = await ledger.verifyExactlyOnceInOrder();
      expectExactlyOnceInOrder(verdict, 2000);
    } finally {
      await ledger.close();
    }
  });

  it('replays from the earliest offset into an emptied store and rebuilds byte-identical state', async () => {
    const ledger = new LedgerHarness();
    try {
      await ledger.publishEntries(20, 10);
      await ledger.waitAllApplied(120_000);
      const before = await ledger.stateHash();

      // Kafka refuses to reset an active group: stop the consumers first, as an operator would.
      await supervisor.scale('ledger', 0);
      await waitFor('ledger group empty', async () => (await groupMembers(ConsumerGroups.ledger)).length === 0, 60_000, 1000);
      // Empty this run's part of the read model; other accounts replay into their own inbox
      // positions and are skipped (fenced), which is also what replay does in production.
      await ledger.accounts().deleteMany({ _id: { $regex: `^acct-${ledger.runId}-` } });
      const out = await kafkaTool(KafkaTools.consumerGroups, [
        '--reset-offsets',
        '--group',
        ConsumerGroups.ledger,
        '--topic',
        LedgerCommands.name,
        '--to-earliest',
        '--execute',
      ]);
      expect(out).toMatch(/NEW-OFFSET/);
      await supervisor.scale('ledger', 1);
      await ledger.waitAllApplied(300_000);
      expect(await ledger.stateHash()).toBe(before);
    } finally {
      await ledger.close();
    }
  });

  it('a zombie replica (SIGSTOP past its session, then SIGCONT) changes nothing a newer owner wrote', async () => {
    const ledger = new LedgerHarness();
    try {
      await supervisor.scale('ledger', 2);
      await waitFor('2 ledger members', async () => (await groupMembers(ConsumerGroups.ledger)).length === 2, 60_000, 1000);
      const load = (async () => {
        for (let wave = 0; wave < 6; wave++) {
          await ledger.publishEntries(20, 10, wave * 10);
          await sleep(2000);
        }
      })();
      await sleep(1500);
      await supervisor.signal('ledger-2', 'SIGSTOP');
      // Past the 10 s session timeout: the group gives ledger-2's partitions to ledger-1.
      await waitFor(
        'ledger-2 dropped from the group',
        async () => (await groupMembers(ConsumerGroups.ledger)).length === 1,
        60_000,
        1000,
      );
      await sleep(5000);
      await supervisor.signal('ledger-2', 'SIGCONT');
      await load;
      await ledger.waitAllApplied(240_000);
      await sleep(5000); // let the zombie finish whatever it was doing when it woke up
      const verdict = await ledger.verifyExactlyOnceInOrder();
      expectExactlyOnceInOrder(verdict, 1200);
    } finally {
      await ledger.close();
    }
  });
});
