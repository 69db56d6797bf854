import { sku as skuSchema } from '@bulwark/contracts';
import { ApiError } from '@bulwark/platform';

/** A SKU from the URL, checked with the contracts' own schema (400 otherwise, like any bad field). */
export function parseSku(value: string): string {
  const result = skuSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'BLW_VALIDATION_FAILED', `"${value}" is not a SKU`, false, {
    fields: [{ path: 'sku', code: 'invalid_format', message: result.error.issues[0]?.message ?? 'invalid SKU' }],
  });
}
