import { z } from 'zod';
import { baseAppConfig, parseConfig } from '@bulwark/platform';

const schema = baseAppConfig(3600).extend({
  /**
   * How long the group waits for a silent replica before moving its partitions (the broker's
   * minimum is 6 s). It must exceed how long a write from a replica killed mid-request can
   * still land in the store (FerretDB: busy timeout 2 s + the write), because on FerretDB that
   * late write is not conditional (see docs/adr/0004-messaging-runtime.md).
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(10_000),
  /** Attempts for an unexpected handler error before its message is dead-lettered. */
  HANDLER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type PaymentsConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PaymentsConfig => parseConfig(schema, env);
