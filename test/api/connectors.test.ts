import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
});
afterEach(() => t.close());

const authMethodsOfEveryType = [
  { name: 'Key', type: 'api-key', config: { in: 'query', name: 'api_key' } },
  { name: 'Basic', type: 'basic' },
  {
    name: 'OAuth',
    type: 'oauth2',
    config: {
      authorizeUrl: 'https://idp.test/authorize',
      tokenUrl: 'https://idp.test/token',
      scopes: ['repo', 'user'],
      clientId: 'client-1',
      clientSecret: 'oauth-client-secret-value',
    },
  },
  {
    name: 'OAuth1',
    type: 'oauth1',
    config: {
      requestTokenUrl: 'https://idp.test/oauth/request_token',
      authorizeUrl: 'https://idp.test/oauth/authorize',
      accessTokenUrl: 'https://idp.test/oauth/access_token',
      consumerKey: 'ck',
      consumerSecret: 'consumer-secret-value',
    },
  },
  { name: 'Webhooks', type: 'hmac', config: { prefix: 'sha256=' } },
  { name: 'Open', type: 'none' },
];

describe('connectors', () => {
  it('creates a connector with all six auth types, applying defaults and masking secrets', async () => {
    const res = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name: 'Everything', baseUrl: 'https://api.test', authMethods: authMethodsOfEveryType },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^ctr_/);
    const types = res.body.authMethods.map((m: { type: string }) => m.type);
    expect(types).toEqual(['api-key', 'basic', 'oauth2', 'oauth1', 'hmac', 'none']);
    const oauth2 = res.body.authMethods[2];
    expect(oauth2.config).toMatchObject({
      grantType: 'authorization_code',
      pkce: true,
      tokenAuth: 'client_secret_basic',
    });
    expect(oauth2.config.clientSecret).toBe('••••');
    expect(res.body.authMethods[3].config.consumerSecret).toBe('••••');
    expect(res.body.authMethods[3].config.signatureMethod).toBe('HMAC-SHA1');
    expect(res.body.authMethods[4].config).toMatchObject({
      header: 'X-Signature',
      algorithm: 'sha256',
      encoding: 'hex',
    });
    expect(res.text).not.toContain('oauth-client-secret-value');
    expect(res.text).not.toContain('consumer-secret-value');

    const got = await t.call('GET', `/api/v1/connectors/${res.body.id}`, { key: org.prodKey });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const list = await t.call('GET', '/api/v1/connectors', { key: org.devKey });
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    expect(list.body.nextCursor).toBeNull();
  });

  it.each([
    ['api-key without a name', { name: 'k', type: 'api-key', config: { in: 'header' } }],
    ['api-key in a body', { name: 'k', type: 'api-key', config: { in: 'body', name: 'x' } }],
    ['api-key with a bad header name', { name: 'k', type: 'api-key', config: { name: 'bad header' } }],
    ['oauth2 without tokenUrl', { name: 'o', type: 'oauth2', config: { authorizeUrl: 'https://a.test/x' } }],
    [
      'oauth2 authorization_code without authorizeUrl',
      { name: 'o', type: 'oauth2', config: { tokenUrl: 'https://a.test/t' } },
    ],
    [
      'oauth2 with a javascript: URL',
      {
        name: 'o',
        type: 'oauth2',
        config: { tokenUrl: 'javascript:alert(1)', authorizeUrl: 'https://a.test/' },
      },
    ],
    [
      'oauth1 with an unknown signature method',
      {
        name: 'o',
        type: 'oauth1',
        config: {
          requestTokenUrl: 'https://a.test/1',
          authorizeUrl: 'https://a.test/2',
          accessTokenUrl: 'https://a.test/3',
          consumerKey: 'k',
          consumerSecret: 's',
          signatureMethod: 'RSA-SHA1',
        },
      },
    ],
    ['hmac with md5', { name: 'h', type: 'hmac', config: { algorithm: 'md5' } }],
    ['none with config', { name: 'n', type: 'none', config: { anything: true } }],
    ['an unknown type', { name: 'x', type: 'kerberos', config: {} }],
  ])('rejects %s with 400 and stores nothing', async (_label, method) => {
    const res = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name: 'Bad', baseUrl: 'https://api.test', authMethods: [method] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(typeof res.body.error.message).toBe('string');
    const list = await t.call('GET', '/api/v1/connectors', { key: org.prodKey });
    expect(list.body.data).toEqual([]);
  });

  it('rejects a connector without auth methods, with a bad base URL, or with unknown fields', async () => {
    for (const body of [
      { name: 'x', baseUrl: 'https://api.test', authMethods: [] },
      { name: 'x', baseUrl: 'ftp://api.test', authMethods: [{ name: 'n', type: 'none' }] },
      { name: 'x', baseUrl: 'https://user:pw@api.test', authMethods: [{ name: 'n', type: 'none' }] },
      { name: 'x', baseUrl: 'https://api.test', authMethods: [{ name: 'n', type: 'none' }], surprise: 1 },
      { name: '', baseUrl: 'https://api.test', authMethods: [{ name: 'n', type: 'none' }] },
    ]) {
      const res = await t.call('POST', '/api/v1/connectors', { key: org.prodKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('updates, adds auth methods, and refuses to delete a connector with connections (409)', async () => {
    const created = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name: 'Slack', baseUrl: 'https://slack.test', authMethods: [{ name: 'Open', type: 'none' }] },
    });
    const id = created.body.id;
    const patched = await t.call('PATCH', `/api/v1/connectors/${id}`, {
      key: org.prodKey,
      body: { name: 'Slack API', verify: { path: '/auth.test' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Slack API');
    expect(patched.body.verify).toEqual({ method: 'GET', path: '/auth.test', expectStatus: [200] });

    const added = await t.call('POST', `/api/v1/connectors/${id}/auth-methods`, {
      key: org.prodKey,
      body: { name: 'Bot token', type: 'api-key', config: { name: 'Authorization', prefix: 'Bearer ' } },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Bot token', type: 'api-key', config: { in: 'header' } });

    const connection = await t.call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: { connectorId: id, authMethodId: added.body.id, name: 'Embedded', embedded: true },
    });
    expect(connection.status).toBe(201);
    const del = await t.call('DELETE', `/api/v1/connectors/${id}`, { key: org.prodKey });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('in_use');

    expect(
      (await t.call('DELETE', `/api/v1/connections/${connection.body.id}`, { key: org.prodKey })).status,
    ).toBe(204);
    expect((await t.call('DELETE', `/api/v1/connectors/${id}`, { key: org.prodKey })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/connectors/${id}`, { key: org.prodKey })).status).toBe(404);
  });

  it('patches an auth method, keeping secrets that the new configuration leaves out', async () => {
    const created = await t.call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: {
        name: 'IdP',
        baseUrl: 'https://idp.test',
        authMethods: [
          {
            name: 'OAuth',
            type: 'oauth2',
            config: { authorizeUrl: 'https://idp.test/a', tokenUrl: 'https://idp.test/t' },
          },
        ],
      },
    });
    const path = `/api/v1/connectors/${created.body.id}/auth-methods/${created.body.authMethods[0].id}`;
    const base = { authorizeUrl: 'https://idp.test/a', tokenUrl: 'https://idp.test/t' };
    const withSecret = await t.call('PATCH', path, {
      key: org.prodKey,
      body: { name: 'OAuth 2', config: { ...base, clientId: 'cid', clientSecret: 'patched-secret' } },
    });
    expect(withSecret.status).toBe(200);
    expect(withSecret.body).toMatchObject({
      name: 'OAuth 2',
      config: { clientId: 'cid', clientSecret: '••••' },
    });
    const moved = await t.call('PATCH', path, {
      key: org.prodKey,
      body: { config: { ...base, tokenUrl: 'https://idp.test/token2', clientId: 'cid' } },
    });
    expect(moved.body.config).toMatchObject({ tokenUrl: 'https://idp.test/token2', clientSecret: '••••' });
    const { findAuthMethod } = await import('../../server/src/db/connectors.js');
    const { openAuthMethodConfig } = await import('../../server/src/domain/auth-methods.js');
    const row = (await findAuthMethod(t.p.db, org.orgId, created.body.authMethods[0].id))!;
    expect(openAuthMethodConfig(t.p.box, row)).toMatchObject({
      clientSecret: 'patched-secret',
      tokenUrl: 'https://idp.test/token2',
    });
    // Invalid configuration for the type: 400, nothing changed.
    const bad = await t.call('PATCH', path, { key: org.prodKey, body: { config: { tokenUrl: 'nope' } } });
    expect(bad.status).toBe(400);
    // Another org cannot see it.
    const other = await seedOrg(t, 'Other');
    expect((await t.call('PATCH', path, { key: other.prodKey, body: { name: 'x' } })).status).toBe(404);
  });

  it('paginates with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      await t.call('POST', '/api/v1/connectors', {
        key: org.prodKey,
        body: { name: `C${i}`, baseUrl: 'https://api.test', authMethods: [{ name: 'Open', type: 'none' }] },
      });
    }
    const first = await t.call('GET', '/api/v1/connectors?limit=2', { key: org.prodKey });
    expect(first.body.data).toHaveLength(2);
    const second = await t.call('GET', `/api/v1/connectors?limit=2&cursor=${first.body.nextCursor}`, {
      key: org.prodKey,
    });
    const third = await t.call('GET', `/api/v1/connectors?limit=2&cursor=${second.body.nextCursor}`, {
      key: org.prodKey,
    });
    expect(third.body.data).toHaveLength(1);
    expect(third.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map(
      (c: { id: string }) => c.id,
    );
    expect(new Set(ids).size).toBe(5);
  });
});

describe('OpenAPI import', () => {
  const doc = {
    openapi: '3.0.3',
    info: { title: 'Petstore', version: '1' },
    servers: [{ url: 'https://{region}.pets.test/v1/', variables: { region: { default: 'eu' } } }],
    components: {
      securitySchemes: {
        key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        basicAuth: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer' },
        oauth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://pets.test/oauth/authorize',
              tokenUrl: 'https://pets.test/oauth/token',
              scopes: { 'read:pets': 'read', 'write:pets': 'write' },
            },
            clientCredentials: { tokenUrl: 'https://pets.test/oauth/token', scopes: { admin: 'all' } },
            implicit: { authorizationUrl: 'https://pets.test/oauth/authorize', scopes: {} },
          },
        },
        oidc: {
          type: 'openIdConnect',
          openIdConnectUrl: 'https://pets.test/.well-known/openid-configuration',
        },
        digest: { type: 'http', scheme: 'digest' },
      },
    },
  };

  it('maps servers and security schemes and reports what it cannot map', async () => {
    const res = await t.call('POST', '/api/v1/connectors/import', {
      key: org.prodKey,
      body: { openapi: doc },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Petstore');
    expect(res.body.baseUrl).toBe('https://eu.pets.test/v1');
    const byName = Object.fromEntries(res.body.authMethods.map((m: { name: string }) => [m.name, m]));
    expect(byName.key).toMatchObject({ type: 'api-key', config: { in: 'header', name: 'X-API-Key' } });
    expect(byName.basicAuth).toMatchObject({ type: 'basic' });
    expect(byName.bearer).toMatchObject({
      type: 'api-key',
      config: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    });
    expect(byName['oauth (authorization code)']).toMatchObject({
      type: 'oauth2',
      config: {
        grantType: 'authorization_code',
        tokenUrl: 'https://pets.test/oauth/token',
        scopes: ['read:pets', 'write:pets'],
      },
    });
    expect(byName['oauth (client credentials)'].config).toMatchObject({
      grantType: 'client_credentials',
      scopes: ['admin'],
    });
    const warnings = res.body.warnings.join('\n');
    expect(warnings).toContain('implicit');
    expect(warnings).toContain('oidc');
    expect(warnings).toContain('digest');
  });

  it('accepts YAML text and an explicit name', async () => {
    const yaml = [
      'openapi: 3.1.0',
      'info: { title: Tiny, version: "1" }',
      'servers:',
      '  - url: https://tiny.test',
      'components:',
      '  securitySchemes:',
      '    token: { type: apiKey, in: query, name: token }',
    ].join('\n');
    const res = await t.call('POST', '/api/v1/connectors/import', {
      key: org.prodKey,
      body: { openapi: yaml, name: 'Tiny API' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Tiny API', baseUrl: 'https://tiny.test', warnings: [] });
    expect(res.body.authMethods[0]).toMatchObject({
      type: 'api-key',
      config: { in: 'query', name: 'token' },
    });
  });

  it.each([
    ['swagger 2', { swagger: '2.0', info: {}, host: 'x' }],
    ['no servers', { openapi: '3.0.0', info: { title: 'x' } }],
    ['a relative server', { openapi: '3.0.0', servers: [{ url: '/v1' }] }],
    ['broken YAML', 'openapi: [3.0'],
  ])('rejects %s with 400', async (_label, openapi) => {
    const res = await t.call('POST', '/api/v1/connectors/import', { key: org.prodKey, body: { openapi } });
    expect(res.status).toBe(400);
    expect((await t.call('GET', '/api/v1/connectors', { key: org.prodKey })).body.data).toEqual([]);
  });
});
