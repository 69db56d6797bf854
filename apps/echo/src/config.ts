import { z } from 'zod';
import { parseConfig } from '@bulwark/platform';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3100),
  HOST: z.string().default('127.0.0.1'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim())),
  MONGO_URL: z.string().startsWith('mongodb://'),
  BULWARK_REPLICA: z.string().default('1'),
});

export type EchoConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): EchoConfig => parseConfig(schema, env);
