import { errors, jwtVerify, SignJWT } from 'jose';
import { principalClaims, type Principal, type Role } from './principal';

export const TOKEN_ISSUER = 'bulwark';
/** What `./bulwark token` and POST /api/dev/tokens hand out. */
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;
/** Replicas' clocks may disagree by a little; a token is not refused for that. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface IssuedToken {
  readonly token: string;
  readonly sub: string;
  readonly role: Role;
  readonly expiresAt: string;
}

export type VerifyResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** Signs HS256 with issuer `bulwark`; `now` is injectable so tests can mint expired tokens. */
export async function signToken(
  secret: string,
  claims: { sub: string; role: Role },
  options: { ttlSeconds?: number; now?: () => Date } = {},
): Promise<IssuedToken> {
  const parsed = principalClaims.pick({ sub: true, role: true }).parse(claims);
  const iat = Math.floor((options.now ?? (() => new Date()))().getTime() / 1000);
  const exp = iat + (options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  const token = await new SignJWT({ role: parsed.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(parsed.sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keyOf(secret));
  return { token, sub: parsed.sub, role: parsed.role, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Verifies signature (HS256 only: `alg: none` and key-confusion tricks are refused by the
 * algorithm list), issuer and expiry, then the claims' shape. Never throws: every failure is
 * a 401 for the caller, and the reason is only for logs and tests, never for the client.
 */
export async function verifyToken(secret: string, token: string, now: () => Date = () => new Date()): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now(),
    });
    const claims = principalClaims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'claims invalid' };
    return { ok: true, principal: claims.data };
  } catch (err) {
    if (err instanceof errors.JOSEError) return { ok: false, reason: err.code };
    return { ok: false, reason: 'malformed' };
  }
}
