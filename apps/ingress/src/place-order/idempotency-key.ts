import { ApiError } from '@bulwark/platform';

/** draft-ietf-httpapi-idempotency-key-header, as bounded by ADR 0005: 1..255 printable ASCII. */
const KEY = /^[\x20-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new ApiError(
      400,
      'BLW_IDEMPOTENCY_KEY_MISSING',
      'POST /api/orders needs an Idempotency-Key header (e.g. a random UUID per order)',
      false,
    );
  }
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new ApiError(400, 'BLW_VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 printable ASCII characters', false, {
      fields: [{ path: 'Idempotency-Key', code: 'invalid_format', message: '1 to 255 printable ASCII characters' }],
    });
  }
  return header;
}
