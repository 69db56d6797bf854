import type { z } from 'zod';
import { ApiError } from '@bulwark/platform';

/** Validates a request body; a failure lists every failing field path (400 BLW_VALIDATION_FAILED). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) => {
    // An unknown field is reported at its own path, so a client can point at it.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) => ({
      path: path.map(String).join('.') || '(body)',
      code: issue.code,
      message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
    }));
  });
  throw new ApiError(400, 'BLW_VALIDATION_FAILED', 'request body failed validation', false, { fields });
}
