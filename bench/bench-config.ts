import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Everything the benchmark reads from the environment, validated before any topic is created:
 * a typo must not turn into a 3-minute run measuring the wrong thing.
 */
const schema = z.object({
  /** Measured messages per variant, after the warm-up. */
  BENCH_MESSAGES: count(20_000),
  /** Publishes awaited in flight at once (produce phase). */
  BENCH_CONCURRENCY: count(64).pipe(z.number().max(10_000)),
  /** Messages each variant handles before its clock starts; the same for every variant. */
  BENCH_WARMUP: z.coerce.number().int().nonnegative().default(1_000),
  /** A variant that has not finished by then is reported as failed and the run goes on. */
  BENCH_VARIANT_TIMEOUT_S: count(90),
  /** 1 keeps the bench.* topics and consumer groups for inspection (kcat, kafka-consumer-groups). */
  BENCH_KEEP: z.enum(['0', '1']).default('0'),
  BENCH_RESULTS: z.string().min(1).default('bench/results/latest.md'),
  /** The same variable (and default) as the int tests use, see test/support/stack.ts. */
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092')
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1)),
});

export interface BenchConfig {
  readonly messages: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly variantTimeoutMs: number;
  readonly keep: boolean;
  readonly resultsPath: string;
  readonly brokers: readonly string[];
  /** Messages of a data set are keyed over this many keys, spread evenly. */
  readonly keys: number;
  /** Target size of one JSON envelope. */
  readonly messageBytes: number;
}

/** Exits with status 2 and one line per bad variable, named by its path. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      process.stderr.write(`bench: invalid ${issue.path.join('.')}: ${issue.message}\n`);
    }
    process.exit(2);
  }
  const c = parsed.data;
  return {
    messages: c.BENCH_MESSAGES,
    concurrency: c.BENCH_CONCURRENCY,
    warmup: c.BENCH_WARMUP,
    variantTimeoutMs: c.BENCH_VARIANT_TIMEOUT_S * 1000,
    keep: c.BENCH_KEEP === '1',
    resultsPath: c.BENCH_RESULTS,
    brokers: c.KAFKA_BROKERS,
    keys: 1_000,
    messageBytes: 200,
  };
}
