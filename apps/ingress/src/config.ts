import { z } from 'zod';
import { baseAppConfig, parseConfig } from '@bulwark/platform';
import { resolveSigningSecret, signingKeyProblem } from './auth/signing-key';

const schema = baseAppConfig(3000)
  .extend({
    /**
     * How long a command may wait for Kafka's acks=all before the client gets 503. It must cover
     * one node's failover: when the node that dies is also the active KRaft controller, a new
     * controller is elected and then waits out the broker session (4 s) before moving leaders;
     * measured 6-8 s on 2 busy cores, which an 8 s deadline turned into 503s.
     */
    PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(15_000),
    /** After SIGTERM, stay up unready this long so HAProxy (checks every 1 s, fall 2) drains us first. */
    DRAIN_MS: z.coerce.number().int().min(0).max(30_000).default(2500),
    NODE_ENV: z.string().default('development'),
    /** HS256 key for the API's bearer tokens; unset outside production = the documented development key. */
    JWT_SECRET: z.string().optional(),
    /** POST /api/dev/tokens mints a token for anyone who asks: local development only. */
    DEV_TOKENS: z.stringbool().default(false),
    /** Token bucket per subject (else per client address), per replica: the burst a client may send at once... */
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(120),
    /** ...and the sustained rate it is refilled at. */
    RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000_000).default(40),
    /** An Idempotency-Key is remembered this long after its first use. */
    IDEMPOTENCY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    /** Larger request bodies get 413 BLW_PAYLOAD_TOO_LARGE. */
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(16 * 1024),
  })
  .superRefine((config, ctx) => {
    const problem = signingKeyProblem(config);
    if (problem) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: problem });
    if (config.DEV_TOKENS && config.NODE_ENV === 'production')
      ctx.addIssue({ code: 'custom', path: ['DEV_TOKENS'], message: 'must not be true when NODE_ENV=production' });
  })
  // Downstream code only ever sees the key it must use, never "maybe a key".
  .transform((config) => ({ ...config, JWT_SECRET: resolveSigningSecret(config) }));

export type IngressConfig = z.output<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): IngressConfig => parseConfig(schema, env);
