import { customerId } from '@bulwark/contracts';
import { DEFAULT_TOKEN_TTL_SECONDS, signToken } from './jwt';
import { ROLES, type Role } from './principal';
import { resolveSigningSecret } from './signing-key';

/**
 * `./bulwark token <customer|admin> <sub> [hours]`: prints a token signed with JWT_SECRET, or
 * with the documented development key outside production (the same rule the ingress applies
 * at start-up, so a printed token is one the ingress accepts).
 */
async function main(args: readonly string[]): Promise<void> {
  const [role, sub, hours] = args;
  if (!role || !sub || !(ROLES as readonly string[]).includes(role)) {
    throw new Error(`usage: ./bulwark token <${ROLES.join('|')}> <subject> [hours, default 12]`);
  }
  if (!customerId.safeParse(sub).success) throw new Error(`subject must be 1 to 64 letters, digits, _ or - (got ${sub})`);
  const ttlSeconds = hours === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Math.round(Number(hours) * 3600);
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new Error(`hours must be a positive number (got ${hours})`);
  const secret = resolveSigningSecret({ NODE_ENV: process.env.NODE_ENV, JWT_SECRET: process.env.JWT_SECRET });
  const issued = await signToken(secret, { sub, role: role as Role }, { ttlSeconds });
  process.stdout.write(`${issued.token}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bulwark token: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
