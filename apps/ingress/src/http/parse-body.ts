import type { z } from 'zod';
import { issuePaths } from '@bulwark/contracts';
import { ApiError } from '@bulwark/platform';

/**
 * Validates a request body (or query); a failure lists every failing field path
 * (400 BLW_VALIDATION_FAILED, error.details.fields).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, root: '(body)' | '(query)' = '(body)'): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = issuePaths(result.error, root);
  const what = root === '(query)' ? 'query' : 'body';
  throw new ApiError(400, 'BLW_VALIDATION_FAILED', `request ${what} failed validation`, false, { fields });
}
