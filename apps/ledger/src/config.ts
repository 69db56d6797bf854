import { z } from 'zod';
import { baseAppConfig, parseConfig } from '@bulwark/platform';

const schema = baseAppConfig(3300).extend({
  /**
   * How long the group waits for a silent replica before moving its partitions (the broker's
   * minimum is 6 s). Short, because a killed replica's partitions wait this long.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(6000),
  /** Attempts for an unexpected handler error before its message is dead-lettered. */
  HANDLER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type LedgerConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): LedgerConfig => parseConfig(schema, env);
