import { z } from 'zod';
import { ConfigError, parseConfig } from './parse-config';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  KAFKA_BROKERS: z.string().transform((s) => s.split(',')),
  mongo: z.object({ url: z.string().startsWith('mongodb://'), pool: z.object({ size: z.number().int().positive() }) }),
});

const valid = { KAFKA_BROKERS: 'a:9092,b:9092', mongo: { url: 'mongodb://127.0.0.1:27017', pool: { size: 5 } } };

/** The ConfigError that parsing `source` throws; fails the test if parsing succeeds. */
function configErrorFor(source: unknown): ConfigError {
  try {
    parseConfig(schema, source);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected parseConfig to throw a ConfigError');
}

describe('parseConfig', () => {
  it("returns the schema's output: coerced, defaulted and transformed", () => {
    expect(parseConfig(schema, { ...valid, PORT: '8080' })).toEqual({
      PORT: 8080,
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      mongo: { url: 'mongodb://127.0.0.1:27017', pool: { size: 5 } },
    });
    expect(parseConfig(schema, valid).PORT).toBe(3000);
  });

  it('names a top-level field in the message', () => {
    const err = configErrorFor({ ...valid, PORT: 'abc' });

    expect(err.issues).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(err.message).toMatch(/^invalid configuration:\n {2}- PORT: /);
  });

  it('names a nested field by its dotted path', () => {
    const err = configErrorFor({ ...valid, mongo: { ...valid.mongo, pool: { size: 0 } } });

    expect(err.issues).toEqual([expect.stringMatching(/^mongo\.pool\.size: /)]);
  });

  it('names every bad field, one per line, not just the first', () => {
    const err = configErrorFor({ PORT: '0', mongo: { url: 'http://x', pool: { size: 5 } } });

    expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual(['KAFKA_BROKERS', 'PORT', 'mongo.url']);
    expect(err.message.split('\n')).toHaveLength(4);
  });

  it('says "(root)" when the source itself is wrong', () => {
    expect(configErrorFor(undefined).issues).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it('is a non-retriable error with a stable code', () => {
    const err = configErrorFor({});

    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'ConfigError', code: 'BLW_CONFIG_INVALID', retriable: false });
  });
});
