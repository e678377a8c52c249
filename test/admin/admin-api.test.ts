import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';
import { consoleCall, seedAdmin, signIn, type SignedIn } from './helpers.js';

let t: TestPortico;
let org: TestOrg;
let s: SignedIn;

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  await seedAdmin(t, org);
  s = await signIn(t);
});
afterEach(() => t.close());

describe('the management API at /admin/api/v1', () => {
  it('creates, binds and lists through the same routes as secret keys, audited as the admin', async () => {
    const call = consoleCall(t, s, org.devEnvId);
    const connector = await call('POST', '/admin/api/v1/connectors', {
      body: {
        name: 'GitHub',
        baseUrl: 'https://api.github.test',
        authMethods: [{ name: 'Token', type: 'api-key', config: { in: 'header', name: 'Authorization' } }],
      },
    });
    expect(connector.status).toBe(201);
    const connection = await call('POST', '/admin/api/v1/connections', {
      body: {
        connectorId: connector.body.id,
        authMethodId: connector.body.authMethods[0].id,
        name: 'Customers',
        embedded: true,
      },
    });
    expect(connection.status).toBe(201);
    expect(connection.body).toMatchObject({ inUse: false, linkedEnvironments: 0, status: 'awaiting_users' });
    const bound = await call('PUT', `/admin/api/v1/bindings/${connector.body.id}`, {
      body: { connectionId: connection.body.id },
    });
    expect(bound.status).toBe(200);
    expect(bound.body.environmentId).toBe(org.devEnvId);

    // The secret key of the same environment sees the admin's work; production's binding is separate.
    const viaKey = await t.call('GET', `/api/v1/connections/${connection.body.id}`, { key: org.devKey });
    expect(viaKey.body).toMatchObject({ inUse: true, linkedEnvironments: 1 });
    const prodBindings = await t.call('GET', '/api/v1/bindings', { key: org.prodKey });
    expect(prodBindings.body.data).toEqual([]);

    const events = await call('GET', `/admin/api/v1/events?targetId=${connection.body.id}`);
    expect(events.status).toBe(200);
    expect(events.body.data.map((e: { action: string }) => e.action)).toContain('connection.created');
    const adminId = s.view.admin.id;
    for (const e of events.body.data) expect(e.actor).toEqual({ type: 'admin', id: adminId });
  });

  it('mints sessions for the console’s "Activate user" and refuses bodies that are not JSON', async () => {
    const call = consoleCall(t, s, org.prodEnvId);
    const ctr = await call('POST', '/admin/api/v1/connectors', {
      body: { name: 'Open', baseUrl: 'https://open.test', authMethods: [{ name: 'None', type: 'none' }] },
    });
    const cx = await call('POST', '/admin/api/v1/connections', {
      body: {
        connectorId: ctr.body.id,
        authMethodId: ctr.body.authMethods[0].id,
        name: 'Open',
        embedded: true,
      },
    });
    await call('PUT', `/admin/api/v1/bindings/${ctr.body.id}`, { body: { connectionId: cx.body.id } });
    const session = await call('POST', '/admin/api/v1/sessions', { body: { externalUserId: 'cus_1' } });
    expect(session.status).toBe(201);
    expect(session.body.connectUrl).toMatch(/\/connect\/link#token=ey/);
    const users = await call('GET', '/admin/api/v1/users');
    expect(users.body.data.map((u: { externalId: string }) => u.externalId)).toEqual(['cus_1']);
    const text = await call('POST', '/admin/api/v1/sessions', {
      body: 'externalUserId=cus_2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(415);
  });

  it('does not document the console’s copy of the routes in the OpenAPI document', async () => {
    const doc = await t.call('GET', '/api/openapi.json');
    const paths = Object.keys(doc.body.paths);
    expect(paths).toContain('/api/v1/connectors');
    expect(paths.filter((p) => p.startsWith('/admin'))).toEqual([]);
  });
});

describe('secret keys from the console', () => {
  it('lists, creates (shown once) and revokes keys of the current environment', async () => {
    const call = consoleCall(t, s, org.prodEnvId);
    const before = await call('GET', '/admin/api/secret-keys');
    expect(before.status).toBe(200);
    expect(before.body.data).toHaveLength(1);
    expect(before.body.data[0]).toEqual({
      id: expect.stringMatching(/^key_/),
      hint: org.prodKey.slice(0, 7),
      scopes: ['credentials:read'],
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(before.text).not.toContain(org.prodKey);

    const created = await call('POST', '/admin/api/secret-keys');
    expect(created.status).toBe(201);
    const secretKey: string = created.body.secretKey;
    expect(secretKey).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(created.body.hint).toBe(secretKey.slice(0, 7));
    expect((await t.call('GET', '/api/v1/environment', { key: secretKey })).body.id).toBe(org.prodEnvId);
    const listed = await call('GET', '/admin/api/secret-keys');
    expect(listed.body.data).toHaveLength(2);
    expect(listed.text).not.toContain(secretKey);
    expect(t.logs.join('\n')).not.toContain(secretKey);

    const revoked = await call('DELETE', `/admin/api/secret-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await t.call('GET', '/api/v1/environment', { key: secretKey })).status).toBe(401);
    expect((await call('DELETE', `/admin/api/secret-keys/${created.body.id}`)).status).toBe(404);

    const events = await call('GET', `/admin/api/v1/events?targetId=${created.body.id}`);
    expect(
      events.body.data.map((e: { action: string; actor: { type: string } }) => [e.action, e.actor.type]),
    ).toEqual([
      ['secret_key.revoked', 'admin'],
      ['secret_key.created', 'admin'],
    ]);
  });

  it('cannot revoke a key of another environment or org', async () => {
    const other = await seedOrg(t, 'Other');
    const otherKeys = (await t.p.db.$client
      .prepare('SELECT id FROM api_keys WHERE org_id = ?')
      .all(other.orgId)) as { id: string }[];
    const devKeys = await consoleCall(t, s, org.devEnvId)('GET', '/admin/api/secret-keys');
    const call = consoleCall(t, s, org.prodEnvId);
    expect((await call('DELETE', `/admin/api/secret-keys/${otherKeys[0]!.id}`)).status).toBe(404);
    expect((await call('DELETE', `/admin/api/secret-keys/${devKeys.body.data[0].id}`)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/environment', { key: org.devKey })).status).toBe(200);
  });
});
