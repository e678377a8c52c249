import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findActivationById } from '../../server/src/db/activations.js';
import { usableCredentials } from '../../server/src/domain/credentials.js';
import {
  CC_CLIENT,
  followToCallback,
  startOidcProvider,
  WEB_CLIENT,
  type OidcFixture,
} from '../fixtures/oidc.js';
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

beforeAll(async () => {
  oidc = await startOidcProvider({
    redirectUris: [`${PUBLIC_URL}/connect/oauth/callback`],
    accessTokenTtl: 600,
  });
});
afterAll(() => oidc.close());
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  oidc.tokenRequests.length = 0;
});
afterEach(() => t.close());

async function embedded(config: Record<string, unknown>) {
  return embeddedWithSession(t, org.prodKey, {
    name: 'IdP',
    baseUrl: oidc.issuer,
    authMethod: { type: 'oauth2', config },
    connectionName: 'IdP users',
  });
}

/** An authorization-code activation made through the real dance. */
async function codeActivation(): Promise<{ activationId: string; token: string }> {
  const { connectionId, token } = await embedded({
    authorizeUrl: oidc.authorizeUrl,
    tokenUrl: oidc.tokenUrl,
    clientId: WEB_CLIENT.id,
    clientSecret: WEB_CLIENT.secret,
    scopes: ['openid', 'offline_access'],
    issuer: oidc.issuer,
    authorizeParams: { prompt: 'consent' },
  });
  const start = await t.call('POST', '/connect/oauth/start', { token, body: { connectionId } });
  const page = await t.call(
    'GET',
    ((u) => u.pathname + u.search)(await followToCallback(start.body.authorizeUrl, oidc.issuer)),
  );
  return { activationId: /data-activation-id="([^"]+)"/.exec(page.text)![1]!, token };
}

/** Makes the stored access token look about to expire, so the next use must refresh. */
function expireSoon(activationId: string): void {
  t.p.db.$client
    .prepare('UPDATE activations SET expires_at = ? WHERE id = ?')
    .run(Date.now() + 5_000, activationId);
}

const refreshes = () => oidc.tokenRequests.filter((g) => g === 'refresh_token').length;

describe('OAuth2 refresh', () => {
  it('20 concurrent uses of an expiring token make exactly one refresh request; rotation keeps it active', async () => {
    const { activationId } = await codeActivation();
    for (let round = 1; round <= 3; round++) {
      expireSoon(activationId);
      const row = (await findActivationById(t.p.db, activationId))!;
      const results = await Promise.all(Array.from({ length: 20 }, () => usableCredentials(t.p, row)));
      const tokens = new Set(results.map((r) => r.credentials.accessToken));
      expect(tokens.size).toBe(1);
      expect(refreshes()).toBe(round);
      // oidc-provider rotates refresh tokens and revokes the grant on reuse: still active means no reuse.
      expect((await findActivationById(t.p.db, activationId))!.status).toBe('active');
    }
  });

  it('exactly one refresh with two processes on one database file', async () => {
    const { activationId } = await codeActivation();
    expireSoon(activationId);
    const row = (await findActivationById(t.p.db, activationId))!;
    const worker = spawn('node', ['--import', 'tsx', 'test/fixtures/refresh-worker.ts'], {
      env: {
        ...process.env,
        PORTICO_DATA_DIR: t.dir,
        PORTICO_PUBLIC_URL: PUBLIC_URL,
        ACTIVATION_ID: activationId,
        CONCURRENCY: '20',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    // Both processes start their 20 uses at the same moment: the worker on "go", this one right after.
    worker.stdin!.write('go\n');
    const mineStartedAt = Date.now();
    const mine = await Promise.all(Array.from({ length: 20 }, () => usableCredentials(t.p, row)));
    const { tokens: theirs, startedAt } = JSON.parse((await lines.next()).value as string) as {
      tokens: string[];
      startedAt: number;
    };
    // They really raced: the worker began while this process was still at it.
    expect(Math.abs(startedAt - mineStartedAt)).toBeLessThan(500);
    const all = new Set([...mine.map((r) => r.credentials.accessToken), ...theirs]);
    expect(all.size).toBe(1);
    expect(refreshes()).toBe(1);
    expect((await findActivationById(t.p.db, activationId))!.status).toBe('active');
  });

  it('a revoked grant turns the activation needs_reauth, audited and shown as Reconnect', async () => {
    const { activationId, token } = await codeActivation();
    await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: { webhookUrl: 'https://hooks.vendor.test/x' },
    });
    const row = (await findActivationById(t.p.db, activationId))!;
    const creds = t.p.box.openJson<{ refreshToken: string }>(row.credentialsSealed!, {
      purpose: 'activation-credentials',
      rowId: activationId,
      orgId: org.orgId,
    });
    const refreshToken = await oidc.provider.RefreshToken.find(creds.refreshToken);
    await refreshToken!.destroy();
    expireSoon(activationId);

    const read = await t.call('GET', `/api/v1/activations/${activationId}/credentials`, { key: org.prodKey });
    expect(read.status).toBe(409);
    expect(read.body.error.code).toBe('needs_reauth');
    expect((await findActivationById(t.p.db, activationId))!.status).toBe('needs_reauth');
    const audit = await t.call('GET', `/api/v1/events?targetId=${activationId}`, { key: org.prodKey });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('activation.needs_reauth');
    const outbox = t.p.db.$client
      .prepare("SELECT event_type FROM webhook_outbox WHERE event_type = 'activation.needs_reauth'")
      .all();
    expect(outbox).toHaveLength(1);
    const session = await t.call('GET', '/connect/session', { token });
    expect(session.body.connections[0].status).toBe('needs_reauth');
  });

  it('client credentials: an expired token is replaced by a new client credentials grant', async () => {
    const { connectionId, token } = await embedded({
      grantType: 'client_credentials',
      tokenUrl: oidc.tokenUrl,
      issuer: oidc.issuer,
    });
    const res = await t.call('POST', '/connect/activations', {
      token,
      body: { connectionId, credentials: { clientId: CC_CLIENT.id, clientSecret: CC_CLIENT.secret } },
    });
    const activationId = res.body.activationId;
    const first = await t.call('GET', `/api/v1/activations/${activationId}/credentials`, {
      key: org.prodKey,
    });
    expect(first.status).toBe(200);
    expect(oidc.tokenRequests.filter((g) => g === 'client_credentials')).toHaveLength(1);
    expireSoon(activationId);
    const row = (await findActivationById(t.p.db, activationId))!;
    const results = await Promise.all(Array.from({ length: 10 }, () => usableCredentials(t.p, row)));
    expect(new Set(results.map((r) => r.credentials.accessToken)).size).toBe(1);
    expect(results[0]!.credentials.accessToken).not.toBe(first.body.credentials.accessToken);
    expect(oidc.tokenRequests.filter((g) => g === 'client_credentials')).toHaveLength(2);
  });
});

describe('credential read', () => {
  it('returns decrypted credentials with the scope, audits every read, and hides other environments', async () => {
    const { activationId } = await codeActivation();
    const read = await t.call('GET', `/api/v1/activations/${activationId}/credentials`, { key: org.prodKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      activationId,
      externalUserId: 'cus_1',
      authType: 'oauth2',
      credentials: { accessToken: expect.any(String) },
    });
    const audit = await t.call('GET', `/api/v1/events?targetId=${activationId}`, { key: org.prodKey });
    expect(audit.body.data[0].action).toBe('credentials.read');
    expect(
      (await t.call('GET', `/api/v1/activations/${activationId}/credentials`, { key: org.devKey })).status,
    ).toBe(404);
    const other = await seedOrg(t, 'Other');
    expect(
      (await t.call('GET', `/api/v1/activations/${activationId}/credentials`, { key: other.prodKey })).status,
    ).toBe(404);
  });

  it('requires the credentials:read scope', async () => {
    const { activationId } = await codeActivation();
    t.p.db.$client.prepare("UPDATE api_keys SET scopes = '[]'").run();
    const res = await t.call('GET', `/api/v1/activations/${activationId}/credentials`, { key: org.prodKey });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
  });
});
