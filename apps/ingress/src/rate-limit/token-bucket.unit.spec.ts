import { TokenBucketLimiter } from './token-bucket';

describe('TokenBucketLimiter', () => {
  let now = 0;
  const limiter = (burst: number, perSecond: number, sweepAbove?: number) =>
    new TokenBucketLimiter({ burst, perSecond, now: () => now, sweepAbove });
  beforeEach(() => (now = 1_000_000));

  it('allows a burst, then refuses with Retry-After in whole seconds', () => {
    const l = limiter(3, 1);
    expect([1, 2, 3].map(() => l.take('a').allowed)).toEqual([true, true, true]);
    expect(l.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const l = limiter(2, 4);
    l.take('a');
    l.take('a');
    expect(l.take('a').allowed).toBe(false);
    now += 250; // one token at 4/s
    expect(l.take('a').allowed).toBe(true);
    expect(l.take('a').allowed).toBe(false);
    now += 60_000;
    expect([l.take('a').allowed, l.take('a').allowed, l.take('a').allowed]).toEqual([true, true, false]);
  });

  it('rounds Retry-After up, so retrying then is allowed', () => {
    const l = limiter(1, 0.4); // one token per 2.5 s
    l.take('a');
    const refused = l.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 3 });
    now += 3000;
    expect(l.take('a').allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const l = limiter(1, 1);
    expect(l.take('sub:alice').allowed).toBe(true);
    expect(l.take('sub:alice').allowed).toBe(false);
    expect(l.take('sub:bob').allowed).toBe(true);
    expect(l.take('ip:127.0.0.1').allowed).toBe(true);
  });

  it('forgets idle clients (their buckets are full again) so memory follows active clients', () => {
    const l = limiter(5, 10, 3);
    ['a', 'b', 'c'].forEach((k) => l.take(k));
    now += 1000; // all three refilled
    l.take('d');
    expect(l.size).toBe(1);
  });

  it('refuses nonsense options at construction', () => {
    expect(() => limiter(0, 1)).toThrow(/burst/);
    expect(() => limiter(1, 0)).toThrow(/perSecond/);
  });
});
