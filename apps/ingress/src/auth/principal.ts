import { z } from 'zod';
import { customerId } from '@bulwark/contracts';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a verified token speaks for: `sub` is the customer id every order is owned by. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

/** The claims a token must carry beyond the registered ones jose checks (iss, exp, alg). */
export const principalClaims = z.object({ sub: customerId, role: z.enum(ROLES), exp: z.number().int() });
