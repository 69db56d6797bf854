import { supervisor, waitFor, postJson } from '../support/stack';
import { isrFull, waitForHealthyStack } from '../support/cluster';
import { wireRoundTrip } from '../support/wire';

describe('losing Kafka nodes', () => {
  beforeEach(() => waitForHealthyStack());

  it('kill -9 of one node: the round trip through HAProxy still succeeds, and its restart brings the ISR back to 3', async () => {
    const before = await supervisor.process('kafka-2');
    await supervisor.signal('kafka-2', 'SIGKILL');

    const { answer } = await wireRoundTrip('one broker down');
    expect(answer.text).toBe('one broker down');

    await waitFor(
      'kafka-2 restarted by the supervisor',
      async () => {
        const now = await supervisor.process('kafka-2');
        return now.restarts === before.restarts + 1 && now.state === 'ready' && now.pid !== before.pid;
      },
      120_000,
    );
    await waitFor('ISR back to 3 on every partition', isrFull, 120_000, 2000);
  });

  it('with only 1 of 3 nodes up, the ingress answers 503 with Retry-After, never 202; acknowledged data survives', async () => {
    const { pingId } = await wireRoundTrip('before the outage');
    await supervisor.stop('kafka-1');
    await supervisor.stop('kafka-2');
    try {
      // Concurrently: each waits out the ingress's publish deadline before its 503.
      const answers = await Promise.all(
        [0, 1, 2].map((attempt) => postJson('/api/wire/pings', { text: `during the outage ${attempt}` })),
      );
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.json).toMatchObject({ error: { retriable: true } });
      }
    } finally {
      await supervisor.start('kafka-1');
      await supervisor.start('kafka-2');
    }
    await waitForHealthyStack();
    const old = await fetch(`${process.env.BULWARK_API_URL ?? 'http://127.0.0.1:8080'}/api/wire/pings/${pingId}`);
    expect(old.status).toBe(200);
    const { answer } = await wireRoundTrip('after the outage');
    expect(answer.text).toBe('after the outage');
  });
});
