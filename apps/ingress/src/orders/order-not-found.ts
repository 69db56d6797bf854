import { ApiError } from '@bulwark/platform';

/**
 * Unknown and someone else's orders get the same answer, byte for byte (the message does not
 * even echo the id): no existence leak.
 */
export function orderNotFound(): ApiError {
  return new ApiError(404, 'BLW_ORDER_NOT_FOUND', 'no such order among yours', false);
}
