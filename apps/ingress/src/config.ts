import { z } from 'zod';
import { baseAppConfig, parseConfig } from '@bulwark/platform';

const schema = baseAppConfig(3000).extend({
  /** How long a command may wait for Kafka's acks=all before the client gets 503. */
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(8000),
  /** After SIGTERM, stay up unready this long so HAProxy (checks every 1 s, fall 2) drains us first. */
  DRAIN_MS: z.coerce.number().int().min(0).max(30_000).default(2500),
});

export type IngressConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): IngressConfig => parseConfig(schema, env);
