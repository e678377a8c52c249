import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  decodeJwtPart,
  PUBLIC_URL,
  seedEmbedded,
  seedOrg,
  startTestPortico,
  type TestPortico,
} from '../helpers/portico.js';

let t: TestPortico;
let token: string;
let orgA: Awaited<ReturnType<typeof seedOrg>>;

beforeEach(async () => {
  t = await startTestPortico();
  orgA = await seedOrg(t);
  await seedEmbedded(t, orgA.prodKey);
  token = (await t.call('POST', '/api/v1/sessions', { key: orgA.prodKey, body: { externalUserId: 'cus_a' } }))
    .body.token;
});
afterEach(() => {
  vi.useRealTimers();
  t.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const session = (tok: string) => t.call('GET', '/connect/session', { token: tok });

async function expectRejected(tok: string, code = 'invalid_token') {
  const res = await session(tok);
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
  return res;
}

/** Signs arbitrary claims with the server's own current key: tests that claims, not just the signature, are pinned. */
async function signWithServerKey(header: Record<string, unknown>, claims: Record<string, unknown>) {
  const { kid, privateKey } = await t.p.signingKeys.signingKey();
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid, ...header }).sign(privateKey);
}

describe('session token attacks', () => {
  it('accepts the genuine token (control)', async () => {
    expect((await session(token)).status).toBe(200);
  });

  it('rejects alg: none', async () => {
    const [h, p] = token.split('.');
    const header = { ...JSON.parse(Buffer.from(h!, 'base64url').toString()), alg: 'none' };
    await expectRejected(`${b64(header)}.${p}.`);
    await expectRejected(`${b64(header)}.${p}`);
  });

  it('rejects tampered claims', async () => {
    const [h, , s] = token.split('.');
    const claims = decodeJwtPart(token, 1);
    for (const change of [
      { sub: 'cus_b' },
      { cx: ['cx_other'] },
      { exp: (claims.exp as number) + 3600 },
      { org: 'org_other' },
    ]) {
      await expectRejected(`${h}.${b64({ ...claims, ...change })}.${s}`);
    }
  });

  it('rejects HS256 signed with the public key or a guessed secret', async () => {
    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body;
    const claims = decodeJwtPart(token, 1);
    const header = decodeJwtPart(token, 0);
    for (const secret of [
      Buffer.from(jwks.keys[0].x, 'base64url'),
      Buffer.from(JSON.stringify(jwks.keys[0])),
      Buffer.from('secret'),
    ]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ ...header, alg: 'HS256' }).sign(secret);
      await expectRejected(forged);
    }
  });

  it("rejects a token signed by an attacker's own Ed25519 key under the server's kid", async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await new SignJWT(decodeJwtPart(token, 1))
      .setProtectedHeader(decodeJwtPart(token, 0) as never)
      .sign(privateKey);
    await expectRejected(forged);
  });

  it('rejects wrong aud, iss and typ even when signed with the real key', async () => {
    const claims = decodeJwtPart(token, 1);
    await expectRejected(
      await signWithServerKey({ typ: 'connect-session+jwt' }, { ...claims, aud: 'someone-else' }),
    );
    await expectRejected(
      await signWithServerKey({ typ: 'connect-session+jwt' }, { ...claims, iss: 'https://evil.test' }),
    );
    await expectRejected(await signWithServerKey({ typ: 'JWT' }, claims));
    await expectRejected(await signWithServerKey({}, claims));
    // Control: the same helper with the right values is accepted, so the rejections above are about the claims.
    expect((await session(await signWithServerKey({ typ: 'connect-session+jwt' }, claims))).status).toBe(200);
  });

  it('rejects an unknown kid and garbage', async () => {
    const claims = decodeJwtPart(token, 1);
    const { privateKey } = await t.p.signingKeys.signingKey();
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'connect-session+jwt', kid: 'nope' })
      .sign(privateKey);
    await expectRejected(unknownKid);
    for (const junk of ['x', 'a.b.c', '....', token + 'x', token.split('.').slice(0, 2).join('.')])
      await expectRejected(junk);
  });

  it('rejects an expired token', async () => {
    const exp = decodeJwtPart(token, 1).exp as number;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((exp + 10) * 1000);
    await expectRejected(token, 'session_expired');
  });

  it('rejects a revoked token', async () => {
    const { jti } = decodeJwtPart(token, 1) as { jti: string };
    await t.call('DELETE', `/api/v1/sessions/${jti}`, { key: orgA.prodKey });
    await expectRejected(token, 'session_revoked');
  });

  it("never lets org A's session token act as a key or see org B", async () => {
    const orgB = await seedOrg(t, 'B');
    await seedEmbedded(t, orgB.prodKey);
    const api = await t.call('GET', '/api/v1/connectors', { token });
    expect(api.status).toBe(401);
    const seen = await session(token);
    const scope = decodeJwtPart(token, 1).cx as string[];
    expect(seen.body.connections.every((c: { id: string }) => scope.includes(c.id))).toBe(true);
    expect(JSON.stringify(seen.body)).not.toContain(orgB.orgId);
    // Session tokens are audience-bound to connect: the issuer is Portico's public URL.
    expect(decodeJwtPart(token, 1).iss).toBe(PUBLIC_URL);
  });
});
