/**
 * Exponential backoff for crashed processes, with a crash-loop breaker: after `maxCrashes`
 * crashes within `windowMs` the supervisor stops restarting and says so, instead of
 * burning both cores on a process that cannot start.
 * A process that had been ready for a while before it died is not looping: its crash starts
 * a fresh history (a chaos test killing replicas every few seconds must not trip the breaker).
 */
export type RestartDecision =
  | { readonly kind: 'restart'; readonly delayMs: number }
  | { readonly kind: 'give-up'; readonly crashes: number; readonly windowSeconds: number };

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 15_000,
    private readonly maxCrashes = 6,
    private readonly windowMs = 120_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `afterStableRun`: the process had been ready for a while before it exited. */
  onCrash(afterStableRun = false): RestartDecision {
    const t = this.now();
    if (afterStableRun) this.crashes = [];
    this.crashes = [...this.crashes.filter((c) => t - c < this.windowMs), t];
    const n = this.crashes.length;
    if (n >= this.maxCrashes) {
      return { kind: 'give-up', crashes: n, windowSeconds: Math.round(this.windowMs / 1000) };
    }
    return { kind: 'restart', delayMs: Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1)) };
  }

  reset(): void {
    this.crashes = [];
  }
}
