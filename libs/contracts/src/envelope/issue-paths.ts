import type { z } from 'zod';

/**
 * The dotted path of every failing field in a schema error. Zod reports unknown keys as one
 * issue at the parent's path with the names aside; here each unknown key gets its own path,
 * so an error can point at exactly the field to remove.
 */
export function issuePaths(error: z.ZodError, root = '(root)'): { path: string; code: string; message: string }[] {
  return error.issues.flatMap((issue): { path: string; code: string; message: string }[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].map(String).join('.'),
        code: issue.code,
        message: 'unknown field',
      }));
    }
    return [{ path: issue.path.map(String).join('.') || root, code: issue.code, message: issue.message }];
  });
}
