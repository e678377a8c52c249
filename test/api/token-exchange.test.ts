import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeJwtPart,
  PUBLIC_URL,
  seedEmbedded,
  seedOrg,
  startTestPortico,
  VENDOR_ORIGIN,
  type TestOrg,
  type TestPortico,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let connectionId: string;
const keys: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};
let jwksServer: Server;
let jwksUrl: string;

beforeAll(async () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    keys[alg] = { privateKey, jwk: { ...(await exportJWK(publicKey)), alg, kid: `kid-${alg}` } };
  }
  jwksServer = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [keys.ES256!.jwk] })),
  );
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  connectionId = (await seedEmbedded(t, org.prodKey)).connectionId;
});
afterEach(() => t.close());

let jtiCounter = 0;
function assertion(
  alg: 'RS256' | 'ES256' | 'EdDSA',
  claims: Record<string, unknown> = {},
  opts: { exp?: number; kid?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: org.prodEnvId,
    sub: 'cus_42',
    aud: PUBLIC_URL,
    jti: `jti-${++jtiCounter}`,
    iat: now,
    exp: opts.exp ?? now + 120,
    cx: [connectionId],
    origin: VENDOR_ORIGIN,
    name: 'Ada',
    ...claims,
  })
    .setProtectedHeader({ alg, kid: opts.kid ?? `kid-${alg}` })
    .sign(keys[alg]!.privateKey);
}

const exchange = (subjectToken: string, extra: Record<string, string> = {}) =>
  t.call('POST', '/connect/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      ...extra,
    }).toString(),
  });

const register = (body: Record<string, unknown>, key = org.prodKey) =>
  t.call('POST', '/api/v1/signing-keys', { key, body });

describe('signing keys', () => {
  it('registers public JWKs and JWKS URLs, refuses private keys and bad algorithms', async () => {
    expect((await register({ jwk: keys.RS256!.jwk })).status).toBe(201);
    expect((await register({ jwksUrl })).status).toBe(201);
    const priv = await exportJWK(keys.EdDSA!.privateKey);
    expect((await register({ jwk: priv })).status).toBe(400);
    expect((await register({ jwk: { kty: 'oct', k: 'c2VjcmV0' } })).status).toBe(400);
    expect((await register({ jwk: { ...keys.RS256!.jwk, alg: 'HS256' } })).status).toBe(400);
    expect((await register({})).status).toBe(400);
    expect((await register({ jwk: keys.RS256!.jwk, jwksUrl })).status).toBe(400);
    const list = await t.call('GET', '/api/v1/signing-keys', { key: org.prodKey });
    expect(list.body.data).toHaveLength(2);
    expect((await t.call('GET', '/api/v1/signing-keys', { key: org.devKey })).body.data).toEqual([]);
    expect(
      (await t.call('DELETE', `/api/v1/signing-keys/${list.body.data[0].id}`, { key: org.devKey })).status,
    ).toBe(404);
    expect(
      (await t.call('DELETE', `/api/v1/signing-keys/${list.body.data[0].id}`, { key: org.prodKey })).status,
    ).toBe(204);
  });
});

describe('POST /connect/token', () => {
  beforeEach(async () => {
    await register({ jwk: keys.RS256!.jwk });
    await register({ jwk: keys.EdDSA!.jwk });
    await register({ jwksUrl });
  });

  it.each(['RS256', 'ES256', 'EdDSA'] as const)(
    'exchanges a valid %s assertion for a session token',
    async (alg) => {
      const res = await exchange(await assertion(alg));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        issued_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_type: 'N_A',
      });
      expect(res.body.expires_in).toBeGreaterThan(800);
      const claims = decodeJwtPart(res.body.access_token, 1);
      expect(claims).toMatchObject({
        sub: 'cus_42',
        env: org.prodEnvId,
        cx: [connectionId],
        origin: VENDOR_ORIGIN,
      });
      expect(
        (await t.call('GET', '/connect/session', { token: res.body.access_token })).body.user.displayName,
      ).toBe('Ada');
    },
  );

  it('rejects a replayed jti', async () => {
    const token = await assertion('RS256');
    expect((await exchange(token)).status).toBe(200);
    const replay = await exchange(token);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already used'),
    });
  });

  it.each([
    ['wrong iss', () => assertion('RS256', { iss: 'env_other' })],
    ['iss of another environment', () => assertion('RS256', { iss: org.devEnvId })],
    ['wrong aud', () => assertion('RS256', { aud: 'https://elsewhere.test' })],
    ['exp too far ahead', () => assertion('RS256', {}, { exp: Math.floor(Date.now() / 1000) + 3600 })],
    ['expired', () => assertion('RS256', {}, { exp: Math.floor(Date.now() / 1000) - 60 })],
    [
      'an unregistered key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({})
          .setProtectedHeader({ alg: 'RS256', kid: 'kid-RS256' })
          .setIssuer(org.prodEnvId)
          .setSubject('x')
          .setAudience(PUBLIC_URL)
          .setJti('u1')
          .setExpirationTime(now + 60)
          .sign(privateKey);
      },
    ],
    [
      'alg none',
      async () => {
        const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${b({ alg: 'none' })}.${b({ iss: org.prodEnvId, sub: 'x', aud: PUBLIC_URL, jti: 'n1', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
      },
    ],
    [
      'HS256 with the public key',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', kid: 'kid-RS256' })
          .setIssuer(org.prodEnvId)
          .setSubject('x')
          .setAudience(PUBLIC_URL)
          .setJti('h1')
          .setExpirationTime(now + 60)
          .sign(Buffer.from(JSON.stringify(keys.RS256!.jwk)));
      },
    ],
    [
      'no jti',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({})
          .setProtectedHeader({ alg: 'RS256', kid: 'kid-RS256' })
          .setIssuer(org.prodEnvId)
          .setSubject('x')
          .setAudience(PUBLIC_URL)
          .setExpirationTime(now + 60)
          .sign(keys.RS256!.privateKey);
      },
    ],
    ['a connection outside the environment', () => assertion('RS256', { cx: ['cx_elsewhere'] })],
    ['an origin the environment does not allow', () => assertion('RS256', { origin: 'https://evil.test' })],
  ])('rejects %s', async (_label, make) => {
    const res = await exchange(await make());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(typeof res.body.error_description).toBe('string');
  });

  it('answers protocol errors in RFC 6749 form', async () => {
    const token = await assertion('RS256');
    expect((await exchange(token, { grant_type: 'client_credentials' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect(
      (await exchange(token, { subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' })).body
        .error,
    ).toBe('invalid_request');
    const json = await t.call('POST', '/connect/token', { body: { grant_type: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });
});
