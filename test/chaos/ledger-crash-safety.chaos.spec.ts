import { supervisor, waitFor } from '../support/stack';
import { waitForHealthyStack } from '../support/cluster';
import { LedgerHarness } from '../support/ledger';

/**
 * The runtime's core promise: with 3 replicas consuming and one of them killed -9 twenty times
 * at random moments, every one of 10,000 keyed commands is applied exactly once and each
 * key's commands in order.
 */
describe('ledger under kill -9', () => {
  const ledger = new LedgerHarness();
  beforeAll(async () => {
    await waitForHealthyStack();
    await supervisor.scale('ledger', 3);
  });
  afterAll(async () => {
    await supervisor.scale('ledger', 1);
    await ledger.close();
  });

  it('applies 10,000 keyed commands exactly once, in order per key, through 20 random kill -9s', async () => {
    // 10 waves of 1,000 (10 entries for each of 100 accounts) while the kills go on.
    const publishing = (async () => {
      for (let wave = 0; wave < 10; wave++) {
        await ledger.publishEntries(100, 10, wave * 10);
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    let kills = 0;
    const random = () => Math.random();
    while (kills < 20) {
      await new Promise((r) => setTimeout(r, 500 + random() * 2500));
      const { processes } = await supervisor.status();
      // Only a replica that has been up a while: killing one still starting would test nothing.
      const candidates = processes.filter(
        (p) => /^ledger-\d$/.test(p.name) && p.state === 'ready' && Date.now() - Date.parse(p.since) > 2000,
      );
      const victim = candidates[Math.floor(random() * candidates.length)];
      if (!victim) continue;
      await supervisor.signal(victim.name, 'SIGKILL');
      kills++;
    }
    await publishing;
    expect(ledger.sent).toHaveLength(10_000);
    await ledger.waitAllApplied(1_200_000);
    await waitFor(
      'every ledger replica back',
      async () =>
        (await supervisor.status()).processes.filter((p) => /^ledger-/.test(p.name) && p.state === 'ready').length === 3,
      120_000,
    );

    const verdict = await ledger.verifyExactlyOnceInOrder();
    expect({ duplicates: verdict.duplicates.length, missing: verdict.missing.length, outOfOrder: verdict.outOfOrder }).toEqual({
      duplicates: 0,
      missing: 0,
      outOfOrder: [],
    });
    expect(verdict.applied).toBe(10_000);
  }, 1_500_000); // on FerretDB (SQLite), 2 cores: ~20 entries/s while replicas die, ~70/s after; 4-6 min
});
