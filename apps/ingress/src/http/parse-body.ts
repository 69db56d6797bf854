import type { z } from 'zod';
import { ApiError } from '@bulwark/platform';

/** Validates a request body; a failure lists every failing field path (400 BLW_VALIDATION_FAILED). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    code: issue.code,
    message: issue.message,
  }));
  throw new ApiError(400, 'BLW_VALIDATION_FAILED', 'request body failed validation', false, { fields });
}
