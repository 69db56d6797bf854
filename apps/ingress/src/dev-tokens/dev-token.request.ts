import { z } from 'zod';
import { customerId } from '@bulwark/contracts';
import { ROLES } from '../auth/principal';

/** POST /api/dev/tokens body. */
export const DevTokenRequest = z.object({ role: z.enum(ROLES), sub: customerId }).strict();

/** POST /api/dev/tokens answer (documented in the OpenAPI document too). */
export const DevTokenResponse = z.object({
  token: z.string(),
  sub: customerId,
  role: z.enum(ROLES),
  expiresAt: z.iso.datetime({ offset: true }),
});
