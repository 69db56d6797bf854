import type { z } from 'zod';

/** Thrown at start-up when configuration is invalid; the message names every bad field. */
export class ConfigError extends Error {
  readonly code = 'BLW_CONFIG_INVALID';
  readonly retriable = false;
  constructor(readonly issues: readonly string[]) {
    super(`invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates configuration (usually process.env) against a schema. A bad value stops the
 * process at start-up with the offending field's path, instead of failing later at first use.
 */
export function parseConfig<S extends z.ZodType>(schema: S, source: unknown): z.output<S> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}
