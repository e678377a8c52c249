import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { followToCallback, startOidcProvider, WEB_CLIENT, type OidcFixture } from '../fixtures/oidc.js';
import {
  PUBLIC_URL,
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
  embeddedWithSession,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let oidc: OidcFixture;
const CALLBACK = `${PUBLIC_URL}/connect/oauth/callback`;

beforeAll(async () => {
  oidc = await startOidcProvider({ redirectUris: [CALLBACK] });
});
afterAll(() => oidc.close());
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
});
afterEach(() => {
  vi.useRealTimers();
  t.close();
});

async function setup(config: Record<string, unknown> = {}, user = 'cus_1') {
  return embeddedWithSession(
    t,
    org.prodKey,
    {
      name: 'IdP',
      baseUrl: oidc.issuer,
      authMethod: {
        type: 'oauth2',
        config: {
          authorizeUrl: oidc.authorizeUrl,
          tokenUrl: oidc.tokenUrl,
          clientId: WEB_CLIENT.id,
          clientSecret: WEB_CLIENT.secret,
          scopes: ['openid', 'offline_access', 'read'],
          issuer: oidc.issuer,
          authorizeParams: { prompt: 'consent', state: 'must-not-override' },
          ...config,
        },
      },
      connectionName: 'IdP users',
    },
    user,
  );
}

const start = (token: string, connectionId: string, flowId = 'flow_oauth') =>
  t.call('POST', '/connect/oauth/start', { token, body: { connectionId, flowId } });

const callback = (url: URL) => t.call('GET', `${url.pathname}${url.search}`);

function activationCount(): number {
  return (t.p.db.$client.prepare('SELECT count(*) AS n FROM activations').get() as { n: number }).n;
}

describe('OAuth2 authorization code', () => {
  it('builds an authorize URL with state, PKCE S256 and the exact callback URL', async () => {
    const { connectionId, token } = await setup();
    const res = await start(token, connectionId);
    expect(res.status).toBe(200);
    const url = new URL(res.body.authorizeUrl);
    expect(url.origin + url.pathname).toBe(oidc.authorizeUrl);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(WEB_CLIENT.id);
    expect(q.get('redirect_uri')).toBe(CALLBACK);
    expect(q.get('scope')).toBe('openid offline_access read');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).not.toBe('must-not-override');
    expect(q.get('prompt')).toBe('consent');
    // Only the state's hash is stored.
    expect(t.p.db.$client.prepare('SELECT state_hash FROM oauth_flows').all()).not.toContainEqual({
      state_hash: q.get('state'),
    });
  });

  it('completes the dance against oidc-provider: tokens stored sealed, activation active, flow event recorded', async () => {
    const { connectionId, token } = await setup();
    const { authorizeUrl } = (await start(token, connectionId)).body;
    const back = await followToCallback(authorizeUrl, oidc.issuer);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('iss')).toBe(oidc.issuer);
    const page = await callback(back);
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain('data-result="success"');
    expect(page.text).toContain('data-origin="https://app.vendor.test"');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const activationId = /data-activation-id="([^"]+)"/.exec(page.text)![1]!;
    const row = t.p.db.$client
      .prepare('SELECT status, credentials_sealed AS s, expires_at FROM activations WHERE id = ?')
      .get(activationId) as {
      status: string;
      s: string;
      expires_at: number;
    };
    expect(row.status).toBe('active');
    const creds = t.p.box.openJson<Record<string, unknown>>(row.s, {
      purpose: 'activation-credentials',
      rowId: activationId,
      orgId: org.orgId,
    });
    expect(creds).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: expect.stringMatching(/bearer/i),
    });
    expect(row.s).not.toContain(String(creds.accessToken));
    expect(row.expires_at).toBeGreaterThan(Date.now());
    const events = await t.call('GET', '/connect/session/events', { token });
    expect(events.body.data).toEqual([
      expect.objectContaining({ type: 'activation.succeeded', activationId, flowId: 'flow_oauth' }),
    ]);
    expect(oidc.tokenRequests).toContain('authorization_code');
  });

  it('rejects a replayed state: the second callback stores nothing', async () => {
    const { connectionId, token } = await setup();
    const back = await followToCallback((await start(token, connectionId)).body.authorizeUrl, oidc.issuer);
    expect((await callback(back)).status).toBe(200);
    const replay = await callback(back);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('data-result="error"');
    expect(activationCount()).toBe(1);
  });

  it('rejects a missing or unknown state', async () => {
    await setup();
    expect((await t.call('GET', '/connect/oauth/callback?code=abc')).status).toBe(400);
    expect((await t.call('GET', '/connect/oauth/callback?code=abc&state=forged')).status).toBe(400);
    expect(activationCount()).toBe(0);
  });

  it('rejects an expired state (10 minutes)', async () => {
    const { connectionId, token } = await setup();
    const back = await followToCallback((await start(token, connectionId)).body.authorizeUrl, oidc.issuer);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1000);
    const res = await callback(back);
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-code="state_expired"');
    expect(activationCount()).toBe(0);
  });

  it("binds the state to its session: a revoked session's state is rejected", async () => {
    const { connectionId, token } = await setup();
    const back = await followToCallback((await start(token, connectionId)).body.authorizeUrl, oidc.issuer);
    const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti;
    await t.call('DELETE', `/api/v1/sessions/${jti}`, { key: org.prodKey });
    const res = await callback(back);
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-code="session_expired"');
    expect(activationCount()).toBe(0);
  });

  it("stores the activation for the state's own session, whoever completes it", async () => {
    // User 1 starts; the callback is the only thing that carries the state — it cannot be moved to user 2's session.
    const one = await setup({}, 'cus_1');
    const two = await t.call('POST', '/api/v1/sessions', {
      key: org.prodKey,
      body: { externalUserId: 'cus_2' },
    });
    const back = await followToCallback(
      (await start(one.token, one.connectionId)).body.authorizeUrl,
      oidc.issuer,
    );
    await callback(back);
    const mine = await t.call('GET', '/connect/session', { token: one.token });
    const theirs = await t.call('GET', '/connect/session', { token: two.body.token });
    expect(mine.body.connections[0].status).toBe('active');
    expect(theirs.body.connections[0].status).toBe('inactive');
  });

  it('checks the iss response parameter against the configured issuer (RFC 9207)', async () => {
    const { connectionId, token } = await setup({ issuer: 'https://someone-else.test' });
    const back = await followToCallback((await start(token, connectionId)).body.authorizeUrl, oidc.issuer);
    const res = await callback(back);
    expect(res.status).toBe(400);
    expect(activationCount()).toBe(0);
  });

  it('shows provider errors (access_denied) and records them as a failed flow', async () => {
    const { connectionId, token } = await setup();
    const url = new URL((await start(token, connectionId)).body.authorizeUrl);
    const state = url.searchParams.get('state')!;
    const res = await t.call(
      'GET',
      `/connect/oauth/callback?error=access_denied&error_description=User+said+no&state=${state}&iss=${encodeURIComponent(oidc.issuer)}`,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-code="access_denied"');
    expect(res.text).toContain('role="alert"');
    const events = await t.call('GET', '/connect/session/events', { token });
    expect(events.body.data[0]).toMatchObject({
      type: 'activation.failed',
      error: { code: 'access_denied' },
    });
  });

  it('a token request without the PKCE verifier cannot succeed at the provider', async () => {
    const { connectionId, token } = await setup();
    const back = await followToCallback((await start(token, connectionId)).body.authorizeUrl, oidc.issuer);
    const res = await fetch(oidc.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${WEB_CLIENT.id}:${WEB_CLIENT.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: CALLBACK,
      }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/invalid_grant|invalid_request/);
  });

  it('refuses to start without a client id, and for non-OAuth connections', async () => {
    const { connectionId, token } = await setup({ clientId: undefined });
    expect((await start(token, connectionId)).status).toBe(409);
  });
});
