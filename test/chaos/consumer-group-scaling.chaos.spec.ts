import { ConsumerGroups } from '@bulwark/contracts';
import { supervisor, waitFor } from '../support/stack';
import { groupMembers, waitForHealthyStack } from '../support/cluster';
import { wireRoundTrip } from '../support/wire';

describe('scaling a service while running', () => {
  beforeAll(() => waitForHealthyStack());
  afterAll(() => supervisor.scale('echo', 2));

  it('echo 1 -> 3 -> 1: Kafka’s consumer-group tool shows 1, 3, then 1 member(s), and pings are answered throughout', async () => {
    for (const replicas of [1, 3, 1]) {
      const scaled = await supervisor.scale('echo', replicas);
      expect(scaled.replicas).toBe(replicas);
      await waitFor(
        `${replicas} member(s) in group ${ConsumerGroups.echo}`,
        async () => (await groupMembers(ConsumerGroups.echo)).length === replicas,
        60_000,
        1000,
      );
      const { answer } = await wireRoundTrip(`with ${replicas} echo replica(s)`);
      expect(Number(answer.answeredBy.replace('echo-', ''))).toBeLessThanOrEqual(replicas);
    }
  });

  it('refuses an impossible replica count with a clear error', async () => {
    await expect(supervisor.scale('echo', 99)).rejects.toThrow(/from 0 to \d+/);
    await expect(supervisor.scale('nope', 1)).rejects.toThrow(/unknown app .*nope/);
  });
});
