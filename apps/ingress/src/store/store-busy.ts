import { TransientError } from '@bulwark/messaging';
import { ApiError } from '@bulwark/platform';

/**
 * FerretDB's SQLite backend runs one write at a time per database; a write that waits longer
 * than its busy timeout fails with "database is locked (5) (SQLITE_BUSY)" and was NOT applied.
 * Under a burst (hundreds of orders at once) that happens, so such writes are retried here.
 */
export function isStoreBusy(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /SQLITE_BUSY|database is locked/.test(message);
}

/** FerretDB itself waits up to its busy timeout (2 s locally) per attempt, so this is a few attempts. */
const DEFAULT_BUDGET_MS = 8000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `work` while the store is busy, with jittered backoff, for up to `budgetMs`; then rethrows. */
export async function retryWhileBusy<T>(work: () => Promise<T>, budgetMs = DEFAULT_BUDGET_MS): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isStoreBusy(err) || Date.now() >= deadline) throw err;
      // Jitter spreads the waiting writers out instead of letting them collide again together.
      await sleep(Math.min(400, 20 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/**
 * For HTTP handlers (in a catch): a store still busy after the retries is a 503 the client may
 * retry, not a 500. Other errors are returned unchanged.
 */
export function busyAs503(err: unknown): unknown {
  if (!isStoreBusy(err)) return err;
  return new ApiError(503, 'BLW_STORE_BUSY', 'the store is overloaded; retry shortly', true, undefined, { 'retry-after': '1' });
}

/** For consumers: a busy store is transient (retried without end, never dead-lettered). */
export async function transientWhileBusy<T>(work: () => Promise<T>, budgetMs = DEFAULT_BUDGET_MS): Promise<T> {
  try {
    return await retryWhileBusy(work, budgetMs);
  } catch (err) {
    if (isStoreBusy(err)) throw new TransientError('BLW_STORE_BUSY', 'the store stayed busy', { cause: err });
    throw err;
  }
}
