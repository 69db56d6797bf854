import type { z } from 'zod';
import { issuePaths } from '@bulwark/contracts';
import { ApiError } from '@bulwark/platform';

/** Validates a request body; a failure lists every failing field path (400 BLW_VALIDATION_FAILED). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = issuePaths(result.error, '(body)');
  throw new ApiError(400, 'BLW_VALIDATION_FAILED', 'request body failed validation', false, { fields });
}
