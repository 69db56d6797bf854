import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '@bulwark/platform';
import type { IngressConfig } from '../config';
import { TokenBucketLimiter } from '../rate-limit/token-bucket';
import { INGRESS_CONFIG, RATE_LIMITER } from '../tokens';
import { ACCESS_METADATA, QUERY_TOKEN_METADATA, type AccessLevel, type AuthenticatedRequest } from './access.decorator';
import { verifyToken } from './jwt';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The API's front door, one guard so the order is fixed: verify the token if there is one,
 * then rate-limit (per subject when the token is valid, else per client address, so invalid
 * tokens cannot be tried at an unlimited rate), then require authentication and the role.
 * Client address: HAProxy's X-Forwarded-For (Fastify trusts it from 127.0.0.1 only), else the socket.
 */
@Injectable()
export class ApiGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
    @Inject(RATE_LIMITER) private readonly limiter: TokenBucketLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_METADATA, targets) ?? 'authenticated';
    const acceptsQueryToken = this.reflector.getAllAndOverride<boolean | undefined>(QUERY_TOKEN_METADATA, targets) ?? false;
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();

    const token = tokenOf(request, acceptsQueryToken);
    const verified = token.value === undefined ? null : await verifyToken(this.config.JWT_SECRET, token.value);
    const principal = verified?.ok ? verified.principal : undefined;

    const taken = this.limiter.take(principal ? `sub:${principal.sub}` : `ip:${request.ip}`);
    if (!taken.allowed) {
      throw new ApiError(429, 'BLW_RATE_LIMITED', `too many requests; retry in ${taken.retryAfterSeconds} s`, true, undefined, {
        'retry-after': String(taken.retryAfterSeconds),
      });
    }
    if (level === 'public') return true;
    if (!principal) throw unauthenticated(token.malformed || token.value !== undefined);
    if (level === 'admin' && principal.role !== 'admin') {
      throw new ApiError(403, 'BLW_FORBIDDEN', 'this operation needs the admin role', false);
    }
    request.principal = principal;
    return true;
  }
}

function tokenOf(request: FastifyRequest, acceptsQueryToken: boolean): { value?: string; malformed: boolean } {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = BEARER.exec(header);
    return match ? { value: match[1], malformed: false } : { malformed: true };
  }
  if (acceptsQueryToken) {
    const query = request.query as Record<string, unknown> | undefined;
    const value = query?.access_token;
    if (typeof value === 'string' && value.length > 0) return { value, malformed: false };
  }
  return { malformed: false };
}

/** RFC 6750: the challenge names the scheme; why a token was refused is not the client's business. */
function unauthenticated(tokenPresented: boolean): ApiError {
  const message = tokenPresented
    ? 'the bearer token is malformed, expired or not signed by this platform'
    : 'this operation needs Authorization: Bearer <token>';
  return new ApiError(401, 'BLW_UNAUTHENTICATED', message, false, undefined, { 'www-authenticate': 'Bearer' });
}
