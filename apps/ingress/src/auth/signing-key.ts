/**
 * The documented development signing key (docs/adr/0005-order-saga.md, apps/ingress/README.md).
 * It is public, so anyone can mint tokens with it: it is used only when JWT_SECRET is unset
 * and NODE_ENV is not `production`; a production ingress without JWT_SECRET refuses to start.
 */
export const DEV_JWT_SECRET = 'bulwark-local-development-signing-key-NOT-for-production';

/** HS256 keys shorter than the hash output are brute-forceable offline from any one token. */
export const MIN_SECRET_LENGTH = 32;

/** Why `env` cannot sign tokens, or null when it can (shared by config.ts and print-token.ts). */
export function signingKeyProblem(env: { NODE_ENV?: string; JWT_SECRET?: string }): string | null {
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < MIN_SECRET_LENGTH)
    return `JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`;
  if (env.JWT_SECRET === undefined && env.NODE_ENV === 'production')
    return 'JWT_SECRET is required when NODE_ENV=production (the development key is public)';
  return null;
}

/** The secret to sign and verify with; throws with the reason when there is none. */
export function resolveSigningSecret(env: { NODE_ENV?: string; JWT_SECRET?: string }): string {
  const problem = signingKeyProblem(env);
  if (problem) throw new Error(problem);
  return env.JWT_SECRET ?? DEV_JWT_SECRET;
}
