import { RestartPolicy, type RestartDecision } from './restart-policy';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const delays = (decisions: readonly RestartDecision[]) => decisions.map((d) => (d.kind === 'restart' ? d.delayMs : d.kind));

describe('RestartPolicy', () => {
  it('doubles the delay from the base on each crash inside the window', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(500, 15_000, 10, 120_000, clock.now);

    const decisions = [1, 2, 3, 4, 5].map(() => {
      clock.advance(1_000);
      return policy.onCrash();
    });

    expect(delays(decisions)).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });

  it('caps the delay at the maximum', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(1_000, 3_000, 100, 120_000, clock.now);

    const decisions = [1, 2, 3, 4, 5].map(() => policy.onCrash());

    expect(delays(decisions)).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
  });

  it('gives up at the crash limit within the window, and says how many crashes in how long', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(500, 15_000, 3, 60_000, clock.now);

    const first = [policy.onCrash(), policy.onCrash()];
    clock.advance(59_000);
    const third = policy.onCrash();

    expect(first.map((d) => d.kind)).toEqual(['restart', 'restart']);
    expect(third).toEqual({ kind: 'give-up', crashes: 3, windowSeconds: 60 });
  });

  it('forgets crashes older than the window, so an occasional crash never gives up', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(500, 15_000, 3, 60_000, clock.now);

    policy.onCrash();
    policy.onCrash();
    clock.advance(60_000);
    const afterExpiry = policy.onCrash();

    // Both earlier crashes are exactly one window old: gone, so this counts as the first again.
    expect(afterExpiry).toEqual({ kind: 'restart', delayMs: 500 });
  });

  it('keeps crashes still inside the sliding window when older ones expire', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(500, 15_000, 3, 60_000, clock.now);

    policy.onCrash(); // t = 0
    clock.advance(30_000);
    policy.onCrash(); // t = 30 s
    clock.advance(31_000);
    const third = policy.onCrash(); // t = 61 s: the first crash expired, the second has not

    expect(third).toEqual({ kind: 'restart', delayMs: 1_000 });
    clock.advance(1_000);
    expect(policy.onCrash()).toEqual({ kind: 'give-up', crashes: 3, windowSeconds: 60 });
  });

  it('starts from the base delay again after reset', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(500, 15_000, 6, 120_000, clock.now);
    policy.onCrash();
    policy.onCrash();
    policy.onCrash();

    policy.reset();

    expect(policy.onCrash()).toEqual({ kind: 'restart', delayMs: 500 });
  });

  it('uses the documented defaults: 500 ms doubling, give-up at the sixth crash in two minutes', () => {
    const clock = manualClock();
    const policy = new RestartPolicy(undefined, undefined, undefined, undefined, clock.now);

    const decisions = [1, 2, 3, 4, 5, 6].map(() => policy.onCrash());

    expect(decisions).toEqual([
      { kind: 'restart', delayMs: 500 },
      { kind: 'restart', delayMs: 1_000 },
      { kind: 'restart', delayMs: 2_000 },
      { kind: 'restart', delayMs: 4_000 },
      { kind: 'restart', delayMs: 8_000 },
      { kind: 'give-up', crashes: 6, windowSeconds: 120 },
    ]);
  });
});

describe('RestartPolicy after a stable run', () => {
  it('does not count earlier crashes when the process had been running fine before it died', () => {
    let now = 0;
    const policy = new RestartPolicy(500, 15_000, 3, 60_000, () => now);
    policy.onCrash();
    policy.onCrash();
    now += 1000;
    const afterStable = policy.onCrash(true);
    expect(afterStable).toEqual({ kind: 'restart', delayMs: 500 });
    expect(policy.onCrash()).toEqual({ kind: 'restart', delayMs: 1000 });
    expect(policy.onCrash().kind).toBe('give-up');
  });
});
