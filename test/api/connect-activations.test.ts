import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CC_CLIENT, startOidcProvider, type OidcFixture } from '../fixtures/oidc.js';
import { startUpstream, type Upstream } from '../fixtures/upstream.js';
import {
  seedOrg,
  startTestPortico,
  VENDOR_ORIGIN,
  type TestOrg,
  type TestPortico,
  embeddedWithSession,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let upstream: Upstream;
let oidc: OidcFixture;

beforeAll(async () => {
  upstream = await startUpstream(
    (r) =>
      r.headers['x-api-key'] === 'right-key' ||
      r.headers.authorization === `Basic ${Buffer.from('ada:right-pw').toString('base64')}`,
  );
  oidc = await startOidcProvider();
});
afterAll(async () => {
  await upstream.close();
  await oidc.close();
});
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
});
afterEach(() => t.close());

/** A connector of one auth type with an embedded connection bound in production; answers a session token for it. */
async function embedded(
  type: string,
  config: Record<string, unknown> = {},
  verify?: Record<string, unknown>,
) {
  return embeddedWithSession(t, org.prodKey, {
    name: `${type} API`,
    baseUrl: upstream.url,
    authMethod: { type, config },
    ...(verify ? { verify } : {}),
    connectionName: `${type} for users`,
  });
}

const activate = (token: string, body: unknown) =>
  t.call('POST', '/connect/activations', { token, body, headers: { origin: VENDOR_ORIGIN } });

function sealedCredentials(activationId: string) {
  const row = t.p.db.$client
    .prepare('SELECT credentials_sealed AS s, org_id AS o FROM activations WHERE id = ?')
    .get(activationId) as {
    s: string | null;
    o: string;
  };
  return row.s === null
    ? null
    : t.p.box.openJson<Record<string, unknown>>(row.s, {
        purpose: 'activation-credentials',
        rowId: activationId,
        orgId: row.o,
      });
}

describe('POST /connect/activations', () => {
  it('activates api-key, stores it sealed, and the connection becomes ready', async () => {
    const { connectionId, token } = await embedded('api-key', { name: 'X-Api-Key' });
    expect(
      (await t.call('GET', `/api/v1/connections/${connectionId}`, { key: org.prodKey })).body.status,
    ).toBe('awaiting_users');
    const res = await activate(token, {
      connectionId,
      credentials: { apiKey: 'right-key' },
      flowId: 'flow_1',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ activationId: expect.stringMatching(/^act_/), status: 'active' });
    expect(res.headers.get('access-control-allow-origin')).toBe(VENDOR_ORIGIN);
    expect(sealedCredentials(res.body.activationId)).toEqual({ apiKey: 'right-key' });

    const connection = await t.call('GET', `/api/v1/connections/${connectionId}`, { key: org.prodKey });
    expect(connection.body).toMatchObject({ status: 'ready', activeUsers: 1 });
    const session = await t.call('GET', '/connect/session', { token });
    expect(session.body.connections[0]).toMatchObject({
      id: connectionId,
      status: 'active',
      activationId: res.body.activationId,
    });
    expect(session.body.eventsCursor).toBeGreaterThan(0);
    const events = await t.call('GET', '/connect/session/events?after=0', { token });
    expect(events.body.data).toEqual([
      expect.objectContaining({
        type: 'activation.succeeded',
        connectionId,
        activationId: res.body.activationId,
        flowId: 'flow_1',
      }),
    ]);
    const audit = await t.call('GET', `/api/v1/events?targetId=${res.body.activationId}`, {
      key: org.prodKey,
    });
    expect(audit.body.data[0]).toMatchObject({ action: 'activation.created', actor: { type: 'session' } });
  });

  it('re-activation replaces the credentials in place (same activation id)', async () => {
    const { connectionId, token } = await embedded('basic');
    const first = await activate(token, { connectionId, credentials: { username: 'ada', password: 'one' } });
    const second = await activate(token, { connectionId, credentials: { username: 'ada', password: 'two' } });
    expect(second.body.activationId).toBe(first.body.activationId);
    expect(sealedCredentials(first.body.activationId)).toEqual({ username: 'ada', password: 'two' });
    const list = await t.call('GET', `/api/v1/activations?connectionId=${connectionId}`, {
      key: org.prodKey,
    });
    expect(list.body.data).toHaveLength(1);
    const audit = await t.call('GET', `/api/v1/events?targetId=${first.body.activationId}`, {
      key: org.prodKey,
    });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual([
      'activation.updated',
      'activation.created',
    ]);
  });

  it('generates an hmac secret when the field is empty and answers it once', async () => {
    const { connectionId, token } = await embedded('hmac', { prefix: 'sha256=' });
    const res = await activate(token, { connectionId, credentials: { secret: '' } });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sealedCredentials(res.body.activationId)).toEqual({ secret: res.body.secret });
    const own = await activate(token, { connectionId, credentials: { secret: 'my-own-secret' } });
    expect(own.body.secret).toBeUndefined();
    expect(sealedCredentials(own.body.activationId)).toEqual({ secret: 'my-own-secret' });
  });

  it('activates "none" as a confirmation', async () => {
    const { connectionId, token } = await embedded('none');
    const res = await activate(token, { connectionId, credentials: {} });
    expect(res.status).toBe(201);
    expect(sealedCredentials(res.body.activationId)).toEqual({});
  });

  it('activates oauth2 client credentials against a real provider, storing the fetched token', async () => {
    const { connectionId, token } = await embedded('oauth2', {
      grantType: 'client_credentials',
      tokenUrl: oidc.tokenUrl,
      issuer: oidc.issuer,
    });
    const bad = await activate(token, {
      connectionId,
      credentials: { clientId: CC_CLIENT.id, clientSecret: 'wrong' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('credentials_rejected');
    expect(bad.text).not.toContain('wrong');
    expect((await t.call('GET', '/api/v1/activations', { key: org.prodKey })).body.data).toEqual([]);

    const res = await activate(token, {
      connectionId,
      credentials: { clientId: CC_CLIENT.id, clientSecret: CC_CLIENT.secret },
    });
    expect(res.status, res.text).toBe(201);
    const stored = sealedCredentials(res.body.activationId)!;
    expect(stored).toMatchObject({
      clientId: CC_CLIENT.id,
      clientSecret: CC_CLIENT.secret,
      tokenType: expect.stringMatching(/bearer/i),
    });
    expect(typeof stored.accessToken).toBe('string');
    expect(stored.expiresAt).toBeGreaterThan(Date.now());
    expect(oidc.tokenRequests).toContain('client_credentials');
  });

  it('verifies against the target first: a wrong key is 422 credentials_rejected and nothing is stored', async () => {
    const { connectionId, token } = await embedded(
      'api-key',
      { name: 'X-Api-Key' },
      { method: 'GET', path: '/user', expectStatus: [200] },
    );
    const before = upstream.requests.length;
    const wrong = await activate(token, { connectionId, credentials: { apiKey: 'wrong-key' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('credentials_rejected');
    expect(upstream.requests.length).toBe(before + 1);
    expect(upstream.requests.at(-1)).toMatchObject({ method: 'GET', url: '/user' });
    expect((await t.call('GET', '/api/v1/activations', { key: org.prodKey })).body.data).toEqual([]);
    expect(t.p.db.$client.prepare('SELECT count(*) AS n FROM activations').get()).toEqual({ n: 0 });

    const right = await activate(token, { connectionId, credentials: { apiKey: 'right-key' } });
    expect(right.status).toBe(201);
  });

  it('verifies basic credentials the same way', async () => {
    const { connectionId, token } = await embedded('basic', {}, { path: '/user' });
    expect(
      (await activate(token, { connectionId, credentials: { username: 'ada', password: 'nope' } })).status,
    ).toBe(422);
    expect(
      (await activate(token, { connectionId, credentials: { username: 'ada', password: 'right-pw' } }))
        .status,
    ).toBe(201);
  });

  it('rejects credentials of the wrong shape with 400', async () => {
    const { connectionId, token } = await embedded('api-key', { name: 'X-Api-Key' });
    for (const credentials of [{}, { apiKey: '' }, { apiKey: 5 }, { apiKey: 'k', extra: 1 }]) {
      expect((await activate(token, { connectionId, credentials })).status, JSON.stringify(credentials)).toBe(
        400,
      );
    }
  });

  it('refuses redirect-based auth types here', async () => {
    const { connectionId, token } = await embedded('oauth2', {
      authorizeUrl: `${oidc.issuer}/auth`,
      tokenUrl: oidc.tokenUrl,
      clientId: 'x',
    });
    const res = await activate(token, { connectionId, credentials: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('/connect/oauth/start');
  });
});

describe('session scope', () => {
  it('touches only connections in its cx and activations of its own user', async () => {
    const a = await embedded('api-key', { name: 'X-Api-Key' });
    const b = await embedded('none');
    // a.token's scope is only a.connectionId.
    const outOfScope = await activate(a.token, { connectionId: b.connectionId, credentials: {} });
    expect(outOfScope.status).toBe(404);

    const mine = await activate(a.token, { connectionId: a.connectionId, credentials: { apiKey: 'k' } });
    // Another user's session for the same connection cannot disconnect it.
    const other = await t.call('POST', '/api/v1/sessions', {
      key: org.prodKey,
      body: { externalUserId: 'cus_2', connections: [a.connectionId] },
    });
    const denied = await t.call('DELETE', `/connect/activations/${mine.body.activationId}`, {
      token: other.body.token,
    });
    expect(denied.status).toBe(404);
    expect(sealedCredentials(mine.body.activationId)).toEqual({ apiKey: 'k' });
    // Another org's session cannot either.
    const orgB = await seedOrg(t, 'B');
    const { seedEmbedded } = await import('../helpers/portico.js');
    await seedEmbedded(t, orgB.prodKey);
    const bSession = await t.call('POST', '/api/v1/sessions', {
      key: orgB.prodKey,
      body: { externalUserId: 'cus_1' },
    });
    expect(
      (
        await t.call('DELETE', `/connect/activations/${mine.body.activationId}`, {
          token: bSession.body.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (await activate(bSession.body.token, { connectionId: a.connectionId, credentials: { apiKey: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('disconnect revokes and destroys the credentials', async () => {
    const { connectionId, token } = await embedded('api-key', { name: 'X-Api-Key' });
    const res = await activate(token, { connectionId, credentials: { apiKey: 'k' } });
    const del = await t.call('DELETE', `/connect/activations/${res.body.activationId}`, { token });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ activationId: res.body.activationId, connectionId, status: 'revoked' });
    expect(sealedCredentials(res.body.activationId)).toBeNull();
    const session = await t.call('GET', '/connect/session', { token });
    expect(session.body.connections[0].status).toBe('inactive');
    expect(session.body.connections[0].activationId).toBeUndefined();
    const activation = await t.call('GET', `/api/v1/activations/${res.body.activationId}`, {
      key: org.prodKey,
    });
    expect(activation.body.status).toBe('revoked');
  });

  it('records cancel and error outcomes from the popup', async () => {
    const { connectionId, token } = await embedded('none');
    expect(
      (
        await t.call('POST', '/connect/session/events', {
          token,
          body: { type: 'flow.cancelled', connectionId, flowId: 'f1' },
        })
      ).status,
    ).toBe(201);
    await t.call('POST', '/connect/session/events', {
      token,
      body: {
        type: 'activation.failed',
        connectionId,
        error: { code: 'access_denied', message: 'The user declined' },
      },
    });
    const events = await t.call('GET', '/connect/session/events?after=0', { token });
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual([
      'flow.cancelled',
      'activation.failed',
    ]);
    expect(events.body.data[1].error).toEqual({ code: 'access_denied', message: 'The user declined' });
    const cursor = events.body.data[0].seq;
    expect(
      (await t.call('GET', `/connect/session/events?after=${cursor}`, { token })).body.data,
    ).toHaveLength(1);
    // Not for connections outside the scope, and not a success (only the server records those).
    expect(
      (
        await t.call('POST', '/connect/session/events', {
          token,
          body: { type: 'flow.cancelled', connectionId: 'cx_other' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.call('POST', '/connect/session/events', {
          token,
          body: { type: 'activation.succeeded', connectionId },
        })
      ).status,
    ).toBe(400);
  });
});

describe('POST /api/v1/connections/{id}/test', () => {
  async function standard(apiKey: string, verify?: Record<string, unknown>) {
    const connector = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: {
        name: 'Target',
        baseUrl: upstream.url,
        authMethods: [{ name: 'Key', type: 'api-key', config: { name: 'X-Api-Key' } }],
        ...(verify ? { verify } : {}),
      },
    });
    const connection = await t.call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: {
        connectorId: connector.body.id,
        authMethodId: connector.body.authMethods[0].id,
        name: 'Ours',
        embedded: false,
        credentials: { apiKey },
      },
    });
    return connection.body.id as string;
  }

  it('answers ok with the status for good credentials and ok: false for rejected ones', async () => {
    const good = await standard('right-key', { path: '/user' });
    expect((await t.call('POST', `/api/v1/connections/${good}/test`, { key: org.prodKey })).body).toEqual({
      ok: true,
      status: 200,
    });
    const bad = await standard('wrong-key', { path: '/user' });
    expect((await t.call('POST', `/api/v1/connections/${bad}/test`, { key: org.prodKey })).body).toEqual({
      ok: false,
      status: 401,
    });
    const audit = await t.call('GET', `/api/v1/events?targetId=${bad}`, { key: org.prodKey });
    expect(audit.body.data[0]).toMatchObject({
      action: 'connection.tested',
      data: { ok: false, status: 401 },
    });
  });

  it('needs a verification request, and a standard connection', async () => {
    const noVerify = await standard('right-key');
    expect((await t.call('POST', `/api/v1/connections/${noVerify}/test`, { key: org.prodKey })).status).toBe(
      400,
    );
    const other = await seedOrg(t, 'Other');
    expect(
      (await t.call('POST', `/api/v1/connections/${noVerify}/test`, { key: other.prodKey })).status,
    ).toBe(404);
  });
});
