import { postJson, supervisor, waitFor } from '../support/stack';
import { waitForHealthyStack } from '../support/cluster';

describe('losing an ingress replica', () => {
  beforeAll(() => waitForHealthyStack());

  it('kill -9 of one ingress replica: requests through HAProxy keep succeeding (only in-flight ones may fail) and it is restarted', async () => {
    const before = await supervisor.process('ingress-1');
    const workers = 4;
    const results: number[] = [];
    let stop = false;
    const load = Array.from({ length: workers }, async () => {
      while (!stop) {
        const res = await postJson('/api/wire/pings', { text: 'under fire' }).catch(() => ({ status: 0 }));
        results.push(res.status);
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    const killedAt = results.length;
    await supervisor.signal('ingress-1', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 6000));
    stop = true;
    await Promise.all(load);

    const failures = results.filter((s) => s !== 202);
    expect(killedAt).toBeGreaterThan(0);
    expect(results.length - killedAt).toBeGreaterThan(20); // the load really ran across the kill
    // At most the requests in flight on the killed replica at that instant: one per worker.
    expect(failures.length).toBeLessThanOrEqual(workers);

    await waitFor(
      'ingress-1 restarted and ready',
      async () => {
        const now = await supervisor.process('ingress-1');
        return now.restarts === before.restarts + 1 && now.state === 'ready';
      },
      60_000,
    );
  });
});
