import { performance } from 'node:perf_hooks';

export interface InFlightResult {
  readonly seconds: number;
  /** Milliseconds from each call to its resolution, in call order. */
  readonly latenciesMs: Float64Array;
}

/**
 * Calls `task` once per item with exactly `concurrency` calls awaited at any moment (fewer only
 * at the tail): the shape of a service handling that many requests at once, each awaiting its
 * own publish. The first rejection stops the run and is rethrown.
 */
export async function runInFlight<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<unknown>,
): Promise<InFlightResult> {
  const latenciesMs = new Float64Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      const start = performance.now();
      try {
        await task(items[i] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
      latenciesMs[i] = performance.now() - start;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { seconds: (performance.now() - start) / 1000, latenciesMs };
}

/** Nearest-rank percentile, p in (0, 100]. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
