import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal';

/**
 * Who may call a route behind ApiGuard: `public` (rate-limited only), `authenticated` (any
 * valid token; the default) or `admin` (403 BLW_FORBIDDEN for other roles).
 */
export type AccessLevel = 'public' | 'authenticated' | 'admin';

export const ACCESS_METADATA = 'bulwark:access';
export const QUERY_TOKEN_METADATA = 'bulwark:query-token';

export const Access = (level: AccessLevel) => SetMetadata(ACCESS_METADATA, level);

/**
 * Also accept the token as `?access_token=`: only for EventSource streams, which cannot send
 * headers. Anywhere else a token in a URL ends up in logs and browser history for nothing.
 */
export const AcceptsQueryToken = () => SetMetadata(QUERY_TOKEN_METADATA, true);

/** The request's verified principal, set by ApiGuard. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // A route that reads the principal without ApiGuard in front is a wiring bug, not a 401.
  if (!principal) throw new Error('no principal on the request: is ApiGuard applied to this route?');
  return principal;
});
