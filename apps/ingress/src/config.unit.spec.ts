import { ConfigError } from '@bulwark/platform';
import { DEV_JWT_SECRET } from './auth/signing-key';
import { loadConfig } from './config';

const base = { KAFKA_BROKERS: '127.0.0.1:19092', MONGO_URL: 'mongodb://127.0.0.1:27017/ingress' };
const issuesOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('ingress configuration', () => {
  it('has the ADR defaults, and the documented development key outside production', () => {
    expect(loadConfig(base)).toMatchObject({
      JWT_SECRET: DEV_JWT_SECRET,
      DEV_TOKENS: false,
      RATE_LIMIT_BURST: 120,
      RATE_LIMIT_PER_SECOND: 40,
      IDEMPOTENCY_TTL_SECONDS: 86_400,
      BODY_LIMIT_BYTES: 16_384,
    });
    expect(DEV_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('reads every variable', () => {
    const secret = 's'.repeat(32);
    expect(
      loadConfig({
        ...base,
        JWT_SECRET: secret,
        DEV_TOKENS: 'true',
        RATE_LIMIT_BURST: '10',
        RATE_LIMIT_PER_SECOND: '2.5',
        IDEMPOTENCY_TTL_SECONDS: '3600',
        BODY_LIMIT_BYTES: '4096',
      }),
    ).toMatchObject({
      JWT_SECRET: secret,
      DEV_TOKENS: true,
      RATE_LIMIT_BURST: 10,
      RATE_LIMIT_PER_SECOND: 2.5,
      IDEMPOTENCY_TTL_SECONDS: 3600,
      BODY_LIMIT_BYTES: 4096,
    });
  });

  it('refuses to start in production without JWT_SECRET, or with dev tokens, naming the field', () => {
    expect(issuesOf({ ...base, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: .*required when NODE_ENV=production/),
    ]);
    expect(issuesOf({ ...base, NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32), DEV_TOKENS: 'true' })).toEqual([
      expect.stringMatching(/^DEV_TOKENS: /),
    ]);
    expect(loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).JWT_SECRET).toBe('s'.repeat(32));
  });

  it('refuses a short secret and bad numbers', () => {
    expect(issuesOf({ ...base, JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/^JWT_SECRET: .*32/)]);
    expect(
      issuesOf({ ...base, RATE_LIMIT_BURST: '0', DEV_TOKENS: 'maybe' })
        .map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['DEV_TOKENS', 'RATE_LIMIT_BURST']);
  });
});
