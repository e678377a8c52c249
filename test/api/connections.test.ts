import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let connectorId: string;
let methods: Record<string, string>;

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  const res = await t.call('POST', '/api/v1/connectors', {
    key: org.prodKey,
    body: {
      name: 'GitHub',
      baseUrl: 'https://api.github.test',
      authMethods: [
        { name: 'Token', type: 'api-key', config: { name: 'Authorization', prefix: 'token ' } },
        { name: 'Basic', type: 'basic' },
        { name: 'Open', type: 'none' },
        {
          name: 'Machine',
          type: 'oauth2',
          config: { grantType: 'client_credentials', tokenUrl: 'https://gh.test/token' },
        },
      ],
    },
  });
  connectorId = res.body.id;
  methods = Object.fromEntries(res.body.authMethods.map((m: { name: string; id: string }) => [m.name, m.id]));
});
afterEach(() => t.close());

const create = (body: Record<string, unknown>, key = org.prodKey) =>
  t.call('POST', '/api/v1/connections', { key, body: { connectorId, ...body } });

describe('connections', () => {
  it('creates a standard connection, never returning its credentials', async () => {
    const res = await create({
      authMethodId: methods.Token,
      name: 'Ours',
      embedded: false,
      credentials: { apiKey: 'ghp_secret_value' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      connectorId,
      authMethodId: methods.Token,
      authType: 'api-key',
      name: 'Ours',
      baseUrl: 'https://api.github.test',
      embedded: false,
      status: 'ready',
      inUse: false,
      linkedEnvironments: 0,
      activeUsers: 0,
    });
    expect(res.body.id).toMatch(/^cx_/);
    expect(res.text).not.toContain('ghp_secret_value');
    expect(res.body).not.toHaveProperty('credentials');
  });

  it('requires credentials for a standard connection, validated for its auth type, except for "none"', async () => {
    expect((await create({ authMethodId: methods.Token, name: 'x', embedded: false })).status).toBe(400);
    expect(
      (await create({ authMethodId: methods.Token, name: 'x', embedded: false, credentials: { key: 'v' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await create({
          authMethodId: methods.Basic,
          name: 'x',
          embedded: false,
          credentials: { username: 'a:b', password: 'p' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await create({
          authMethodId: methods.Machine,
          name: 'x',
          embedded: false,
          credentials: { clientId: 'id' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await create({ authMethodId: methods.Open, name: 'x', embedded: false, credentials: { apiKey: 'v' } }))
        .status,
    ).toBe(400);
    expect((await t.call('GET', '/api/v1/connections', { key: org.prodKey })).body.data).toEqual([]);
    expect((await create({ authMethodId: methods.Open, name: 'Public', embedded: false })).status).toBe(201);
    expect(
      (
        await create({
          authMethodId: methods.Basic,
          name: 'B',
          embedded: false,
          credentials: { username: 'u', password: 'p' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await create({
          authMethodId: methods.Machine,
          name: 'M',
          embedded: false,
          credentials: { clientId: 'id', clientSecret: 's' },
        })
      ).status,
    ).toBe(201);
  });

  it('refuses credentials on an embedded connection, which awaits users', async () => {
    const bad = await create({
      authMethodId: methods.Token,
      name: 'x',
      embedded: true,
      credentials: { apiKey: 'k' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('embedded');
    const ok = await create({
      authMethodId: methods.Token,
      name: 'For customers',
      embedded: true,
      baseUrl: 'https://ghe.test/api',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      embedded: true,
      status: 'awaiting_users',
      baseUrl: 'https://ghe.test/api',
    });
    const patch = await t.call('PATCH', `/api/v1/connections/${ok.body.id}`, {
      key: org.prodKey,
      body: { credentials: { apiKey: 'k' } },
    });
    expect(patch.status).toBe(400);
  });

  it('refuses an auth method of another connector', async () => {
    const other = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name: 'Other', baseUrl: 'https://o.test', authMethods: [{ name: 'Open', type: 'none' }] },
    });
    const res = await create({ authMethodId: other.body.authMethods[0].id, name: 'x', embedded: true });
    expect(res.status).toBe(400);
  });

  it('tracks bindings: inUse, linkedEnvironments across environments, one connection per connector per environment', async () => {
    const a = await create({ authMethodId: methods.Token, name: 'A', embedded: true });
    const b = await create({ authMethodId: methods.Token, name: 'B', embedded: true });
    const put = (key: string, connectionId: string) =>
      t.call('PUT', `/api/v1/bindings/${connectorId}`, { key, body: { connectionId } });

    expect((await put(org.prodKey, a.body.id)).status).toBe(200);
    let got = await t.call('GET', `/api/v1/connections/${a.body.id}`, { key: org.prodKey });
    expect(got.body).toMatchObject({ inUse: true, linkedEnvironments: 1 });

    // Reuse the same connection in development without re-creating it.
    expect((await put(org.devKey, a.body.id)).status).toBe(200);
    got = await t.call('GET', `/api/v1/connections/${a.body.id}`, { key: org.prodKey });
    expect(got.body.linkedEnvironments).toBe(2);

    // Binding B in production replaces A there.
    expect((await put(org.prodKey, b.body.id)).status).toBe(200);
    const bindings = await t.call('GET', '/api/v1/bindings', { key: org.prodKey });
    expect(bindings.body.data).toEqual([
      expect.objectContaining({ connectorId, connectionId: b.body.id, environmentId: org.prodEnvId }),
    ]);
    got = await t.call('GET', `/api/v1/connections/${a.body.id}`, { key: org.prodKey });
    expect(got.body.linkedEnvironments).toBe(1);

    // In use: 409 on delete, until unbound.
    const del = await t.call('DELETE', `/api/v1/connections/${a.body.id}`, { key: org.prodKey });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('in_use');
    expect((await t.call('DELETE', `/api/v1/bindings/${connectorId}`, { key: org.devKey })).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/bindings/${connectorId}`, { key: org.devKey })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/connections/${a.body.id}`, { key: org.prodKey })).status).toBe(
      204,
    );
  });

  it('refuses to bind a connection to another connector', async () => {
    const other = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name: 'Other', baseUrl: 'https://o.test', authMethods: [{ name: 'Open', type: 'none' }] },
    });
    const a = await create({ authMethodId: methods.Token, name: 'A', embedded: true });
    const res = await t.call('PUT', `/api/v1/bindings/${other.body.id}`, {
      key: org.prodKey,
      body: { connectionId: a.body.id },
    });
    expect(res.status).toBe(400);
    expect((await t.call('GET', '/api/v1/bindings', { key: org.prodKey })).body.data).toEqual([]);
  });

  it('renames and replaces credentials of a standard connection', async () => {
    const a = await create({
      authMethodId: methods.Basic,
      name: 'A',
      embedded: false,
      credentials: { username: 'u', password: 'p' },
    });
    const res = await t.call('PATCH', `/api/v1/connections/${a.body.id}`, {
      key: org.prodKey,
      body: {
        name: 'Renamed',
        baseUrl: 'https://elsewhere.test',
        credentials: { username: 'v', password: 'q' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', baseUrl: 'https://elsewhere.test' });
    const reset = await t.call('PATCH', `/api/v1/connections/${a.body.id}`, {
      key: org.prodKey,
      body: { baseUrl: null },
    });
    expect(reset.body.baseUrl).toBe('https://api.github.test');
  });
});

describe('environment', () => {
  it('reads and updates origins; the first webhook URL answers the whsec_ secret once', async () => {
    const env = await t.call('GET', '/api/v1/environment', { key: org.prodKey });
    expect(env.body).toEqual({
      id: org.prodEnvId,
      name: 'production',
      allowedOrigins: ['https://app.vendor.test'],
      webhookUrl: null,
    });

    const first = await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: {
        allowedOrigins: ['https://a.test', 'http://localhost:3000'],
        webhookUrl: 'https://hooks.vendor.test/portico',
      },
    });
    expect(first.status).toBe(200);
    expect(first.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{32,}$/);
    expect(first.body.allowedOrigins).toEqual(['https://a.test', 'http://localhost:3000']);

    const second = await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: { webhookUrl: 'https://hooks.vendor.test/v2' },
    });
    expect(second.body.webhookSecret).toBeUndefined();
    expect(
      (await t.call('GET', '/api/v1/environment', { key: org.prodKey })).body.webhookSecret,
    ).toBeUndefined();

    for (const bad of [['https://a.test/path'], ['https://a.test/'], ['*'], ['javascript:alert(1)']]) {
      const res = await t.call('PATCH', '/api/v1/environment', {
        key: org.prodKey,
        body: { allowedOrigins: bad },
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    // The development environment is untouched.
    expect((await t.call('GET', '/api/v1/environment', { key: org.devKey })).body.webhookUrl).toBeNull();
  });

  it('records changes in the audit log, newest first', async () => {
    await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: { allowedOrigins: ['https://a.test'] },
    });
    const events = await t.call('GET', '/api/v1/events', { key: org.prodKey });
    expect(events.status).toBe(200);
    expect(events.body.data[0]).toMatchObject({
      action: 'environment.updated',
      actor: { type: 'key' },
      target: { type: 'environment', id: org.prodEnvId },
    });
    // Development sees the org-level events, not production's environment changes.
    const dev = (await t.call('GET', '/api/v1/events', { key: org.devKey })).body.data.map(
      (e: { action: string }) => e.action,
    );
    expect(dev).toContain('org.created');
    expect(dev).not.toContain('environment.updated');
  });
});

describe('GET /api/openapi.json', () => {
  it('documents every route of the management and connect APIs, including the plain ones', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const route of [
      '/api/v1/connectors',
      '/api/v1/connectors/import',
      '/api/v1/connectors/{id}/auth-methods',
      '/api/v1/connections/{id}/test',
      '/api/v1/bindings/{connectorId}',
      '/api/v1/sessions',
      '/api/v1/sessions/{jti}',
      '/api/v1/users/{externalUserId}',
      '/api/v1/activations/{id}/credentials',
      '/api/v1/proxy/{activationId}/{path}',
      '/api/v1/proxy/connections/{connectionId}/{path}',
      '/api/v1/environment',
      '/api/v1/signing-keys',
      '/api/v1/events',
      '/api/v1/webhook-deliveries',
      '/connect/session',
      '/connect/activations',
      '/connect/oauth/start',
      '/connect/token',
      '/hooks/{activationId}',
    ]) {
      expect(paths, route).toContain(route);
    }
    // Generated from the validating schemas: the connection input is strict and names its fields.
    expect(doc.components.schemas.ConnectionInput.required).toEqual(
      expect.arrayContaining(['connectorId', 'authMethodId', 'name', 'embedded']),
    );
    expect(paths.some((p: string) => p.startsWith('/admin'))).toBe(false);
  });
});
