import { z } from 'zod';
import { parseConfig } from '@bulwark/platform';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  MONGO_URL: z.string().startsWith('mongodb://'),
  BULWARK_REPLICA: z.string().default('1'),
  /** How long a command may wait for Kafka's acks=all before the client gets 503. */
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(8000),
  /** After SIGTERM, stay up unready this long so HAProxy (checks every 1 s, fall 2) drains us first. */
  DRAIN_MS: z.coerce.number().int().min(0).max(30_000).default(2500),
});

export type IngressConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): IngressConfig => parseConfig(schema, env);
