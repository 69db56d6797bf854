import { z } from 'zod';

/**
 * What every app is configured with; the supervisor (or compose / Kubernetes) sets these.
 * Apps extend it with their own fields: `baseAppConfig(3100).extend({ ... })`.
 */
export function baseAppConfig(defaultPort: number) {
  return z.object({
    PORT: z.coerce.number().int().min(1).max(65535).default(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    KAFKA_BROKERS: z
      .string()
      .min(1)
      .transform((s) => s.split(',').map((b) => b.trim())),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
    BULWARK_REPLICA: z.string().default('1'),
  });
}
