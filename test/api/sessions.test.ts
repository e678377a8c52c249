import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
let cx: { connectorId: string; connectionId: string; authMethodId: string };

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  cx = await seedEmbedded(t, org.prodKey);
});
afterEach(() => t.close());

const mint = (body: Record<string, unknown>, key = org.prodKey) =>
  t.call('POST', '/api/v1/sessions', { key, body });

describe('POST /api/v1/sessions', () => {
  it('mints an EdDSA session JWT with the contract header and claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await mint({ externalUserId: 'cus_123', displayName: 'Ada', email: 'ada@example.com' });
    expect(res.status).toBe(201);
    const { token, expiresAt, connectUrl } = res.body;
    expect(connectUrl).toBe(`${PUBLIC_URL}/connect/link#token=${token}`);
    const header = decodeJwtPart(token, 0);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'connect-session+jwt' });
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwtPart(token, 1);
    expect(claims).toMatchObject({
      iss: PUBLIC_URL,
      aud: 'portico:connect',
      sub: 'cus_123',
      org: org.orgId,
      env: org.prodEnvId,
      cx: [cx.connectionId],
      origin: VENDOR_ORIGIN,
    });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp).toBe((claims.iat as number) + 900);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(new Date(expiresAt).getTime()).toBe((claims.exp as number) * 1000);

    // Verifiable with nothing but the published JWKS.
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: header.kid, alg: 'EdDSA' });
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const verified = await jwtVerify(token, createLocalJWKSet(jwks.body), {
      issuer: PUBLIC_URL,
      audience: 'portico:connect',
    });
    expect(verified.payload.sub).toBe('cus_123');
  });

  it('creates the end user on first sight and updates name and email later', async () => {
    await mint({ externalUserId: 'cus_1', displayName: 'Ada' });
    let user = await t.call('GET', '/api/v1/users/cus_1', { key: org.prodKey });
    expect(user.body).toMatchObject({
      externalId: 'cus_1',
      displayName: 'Ada',
      email: null,
      activations: [],
    });
    await mint({ externalUserId: 'cus_1', displayName: 'Ada Lovelace', email: 'ada@example.com' });
    user = await t.call('GET', '/api/v1/users/cus_1', { key: org.prodKey });
    expect(user.body).toMatchObject({ displayName: 'Ada Lovelace', email: 'ada@example.com' });
    const users = await t.call('GET', '/api/v1/users', { key: org.prodKey });
    expect(users.body.data).toHaveLength(1);
    // Users live in one environment.
    expect((await t.call('GET', '/api/v1/users/cus_1', { key: org.devKey })).status).toBe(404);
  });

  it('applies the TTL rules: default 900, at most 3600', async () => {
    const long = await mint({ externalUserId: 'u', ttlSeconds: 3600 });
    const claims = decodeJwtPart(long.body.token, 1);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect((await mint({ externalUserId: 'u', ttlSeconds: 3601 })).status).toBe(400);
    expect((await mint({ externalUserId: 'u', ttlSeconds: 0 })).status).toBe(400);
  });

  it('enforces the origin rules', async () => {
    expect((await mint({ externalUserId: 'u', origin: 'https://evil.test' })).status).toBe(400);
    await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: { allowedOrigins: [VENDOR_ORIGIN, 'https://second.vendor.test'] },
    });
    const ambiguous = await mint({ externalUserId: 'u' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.message).toContain('origin');
    const explicit = await mint({ externalUserId: 'u', origin: 'https://second.vendor.test' });
    expect(explicit.status).toBe(201);
    expect(decodeJwtPart(explicit.body.token, 1).origin).toBe('https://second.vendor.test');
    await t.call('PATCH', '/api/v1/environment', { key: org.prodKey, body: { allowedOrigins: [] } });
    expect((await mint({ externalUserId: 'u' })).status).toBe(400);
  });

  it('limits the scope to embedded connections of the org bound in this environment', async () => {
    // Standard connection of the same connector.
    const standard = await t.call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: {
        connectorId: cx.connectorId,
        authMethodId: cx.authMethodId,
        name: 'Ours',
        embedded: false,
        credentials: { apiKey: 'k' },
      },
    });
    expect((await mint({ externalUserId: 'u', connections: [standard.body.id] })).status).toBe(400);
    // Embedded, but not bound in this environment.
    const unbound = await t.call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: { connectorId: cx.connectorId, authMethodId: cx.authMethodId, name: 'Unbound', embedded: true },
    });
    expect((await mint({ externalUserId: 'u', connections: [unbound.body.id] })).status).toBe(400);
    // Bound in production, not in development.
    expect((await mint({ externalUserId: 'u', connections: [cx.connectionId] }, org.devKey)).status).toBe(
      400,
    );
    // Another org's connection.
    const other = await seedOrg(t, 'Other');
    const otherCx = await seedEmbedded(t, other.prodKey);
    expect((await mint({ externalUserId: 'u', connections: [otherCx.connectionId] })).status).toBe(400);
    // Unknown id.
    expect((await mint({ externalUserId: 'u', connections: ['cx_nope'] })).status).toBe(400);
    // The good one.
    const ok = await mint({ externalUserId: 'u', connections: [cx.connectionId] });
    expect(ok.status).toBe(201);
    expect(decodeJwtPart(ok.body.token, 1).cx).toEqual([cx.connectionId]);
  });

  it('revokes a session at once; other environments cannot', async () => {
    const res = await mint({ externalUserId: 'u' });
    const { jti } = decodeJwtPart(res.body.token, 1) as { jti: string };
    expect((await t.call('GET', '/connect/session', { token: res.body.token })).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/sessions/${jti}`, { key: org.devKey })).status).toBe(404);
    expect((await t.call('GET', '/connect/session', { token: res.body.token })).status).toBe(200);
    expect((await t.call('DELETE', `/api/v1/sessions/${jti}`, { key: org.prodKey })).status).toBe(204);
    const after = await t.call('GET', '/connect/session', { token: res.body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('session_revoked');
  });
});

describe('GET /connect/session', () => {
  it("shows the session's user and connections", async () => {
    const res = await mint({ externalUserId: 'cus_9', displayName: 'Grace' });
    const session = await t.call('GET', '/connect/session', {
      token: res.body.token,
      headers: { origin: VENDOR_ORIGIN },
    });
    expect(session.status).toBe(200);
    expect(session.headers.get('access-control-allow-origin')).toBe(VENDOR_ORIGIN);
    expect(session.body).toMatchObject({
      user: { externalId: 'cus_9', displayName: 'Grace', email: null },
      connections: [
        {
          id: cx.connectionId,
          name: 'GitHub for customers',
          connector: { name: 'GitHub' },
          authType: 'api-key',
          status: 'inactive',
        },
      ],
      eventsCursor: 0,
    });
    const events = await t.call('GET', '/connect/session/events?after=0', { token: res.body.token });
    expect(events.body).toEqual({ data: [] });
  });

  it("refuses a request from an origin other than the session's", async () => {
    const res = await mint({ externalUserId: 'u' });
    const evil = await t.call('GET', '/connect/session', {
      token: res.body.token,
      headers: { origin: 'https://evil.test' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // Portico's own pages (popup, connect link) may use it.
    const own = await t.call('GET', '/connect/session', {
      token: res.body.token,
      headers: { origin: PUBLIC_URL },
    });
    expect(own.status).toBe(200);
  });

  it('answers CORS preflights only for origins some environment allows', async () => {
    const preflight = (origin: string) =>
      t.call('OPTIONS', '/connect/session', {
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight(VENDOR_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(VENDOR_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Authorization');
    const bad = await preflight('https://evil.test');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never accepts the token in a query string', async () => {
    const res = await mint({ externalUserId: 'u' });
    const q = await t.call('GET', `/connect/session?token=${res.body.token}`);
    expect(q.status).toBe(401);
  });
});
