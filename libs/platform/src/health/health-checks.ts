/**
 * What /health/live and /health/ready report. An app registers checks at start-up:
 * readiness checks say whether it can serve now (dependencies answer, consumer joined);
 * liveness checks say whether it is broken beyond self-repair, so the supervisor or
 * Kubernetes should restart it. A dependency outage must never fail liveness.
 */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };
export type Check = () => Promise<CheckResult>;

export class HealthChecks {
  private readonly ready = new Map<string, Check>();
  private readonly live = new Map<string, Check>();
  private shuttingDown = false;

  addReadiness(name: string, check: Check): void {
    this.ready.set(name, check);
  }

  addLiveness(name: string, check: Check): void {
    this.live.set(name, check);
  }

  /** From here on readiness fails, so the load balancer drains this replica before it stops. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<Report> {
    if (this.shuttingDown) return { ok: false, checks: { shutdown: { ok: false, reason: 'shutting down' } } };
    return run(this.ready);
  }

  liveness(): Promise<Report> {
    return run(this.live);
  }
}

export interface Report {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

async function run(checks: ReadonlyMap<string, Check>): Promise<Report> {
  const entries = await Promise.all(
    [...checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
      try {
        return [name, await withTimeout(check(), 1500)];
      } catch (err) {
        return [name, { ok: false, reason: err instanceof Error ? err.message : String(err) }];
      }
    }),
  );
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`check timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

export const ok: CheckResult = { ok: true };
export const fail = (reason: string): CheckResult => ({ ok: false, reason });
