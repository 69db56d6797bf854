import { SignJWT } from 'jose';
import { signToken, verifyToken } from './jwt';

const SECRET = 'a-test-signing-secret-of-at-least-32-chars';
const key = new TextEncoder().encode(SECRET);
const at = (iso: string) => () => new Date(iso);

describe('bearer tokens (HS256, issuer bulwark)', () => {
  it('verifies what it signs, with sub, role and a 12 h expiry by default', async () => {
    const issued = await signToken(SECRET, { sub: 'alice', role: 'customer' }, { now: at('2026-01-01T00:00:00Z') });
    expect(issued).toMatchObject({ sub: 'alice', role: 'customer', expiresAt: '2026-01-01T12:00:00.000Z' });

    const result = await verifyToken(SECRET, issued.token, at('2026-01-01T11:59:00Z'));
    expect(result).toEqual({
      ok: true,
      principal: { sub: 'alice', role: 'customer', exp: Date.parse('2026-01-01T12:00:00Z') / 1000 },
    });
  });

  it('refuses an expired token (beyond 5 s of clock skew)', async () => {
    const { token } = await signToken(SECRET, { sub: 'ops', role: 'admin' }, { ttlSeconds: 60, now: at('2026-01-01T00:00:00Z') });
    expect((await verifyToken(SECRET, token, at('2026-01-01T00:01:04Z'))).ok).toBe(true);
    expect(await verifyToken(SECRET, token, at('2026-01-01T00:01:06Z'))).toEqual({ ok: false, reason: 'ERR_JWT_EXPIRED' });
  });

  it('refuses a token signed with another key', async () => {
    const { token } = await signToken('another-secret-that-is-also-32-chars-long', { sub: 'alice', role: 'customer' });
    expect(await verifyToken(SECRET, token)).toMatchObject({ ok: false, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('refuses another issuer, a missing exp, and alg none', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const otherIssuer = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else')
      .setSubject('alice')
      .setExpirationTime(exp)
      .sign(key);
    const noExp = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('bulwark')
      .setSubject('alice')
      .sign(key);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', role: 'admin', iss: 'bulwark', exp })}.`;

    expect((await verifyToken(SECRET, otherIssuer)).ok).toBe(false);
    expect((await verifyToken(SECRET, noExp)).ok).toBe(false);
    expect((await verifyToken(SECRET, none)).ok).toBe(false);
  });

  it('refuses well-signed tokens whose claims are not a Bulwark principal', async () => {
    const sign = (claims: Record<string, unknown>, sub: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('bulwark')
        .setSubject(sub)
        .setExpirationTime('1h')
        .sign(key);

    expect(await verifyToken(SECRET, await sign({ role: 'root' }, 'alice'))).toEqual({ ok: false, reason: 'claims invalid' });
    expect(await verifyToken(SECRET, await sign({}, 'alice'))).toEqual({ ok: false, reason: 'claims invalid' });
    expect(await verifyToken(SECRET, await sign({ role: 'customer' }, 'not a customer id'))).toEqual({
      ok: false,
      reason: 'claims invalid',
    });
  });

  it('never throws on garbage', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', '....', 'Bearer x']) {
      expect((await verifyToken(SECRET, garbage)).ok).toBe(false);
    }
  });

  it('will not sign a subject the API could not use as a customer id', async () => {
    await expect(signToken(SECRET, { sub: 'a b', role: 'customer' })).rejects.toThrow();
  });
});
