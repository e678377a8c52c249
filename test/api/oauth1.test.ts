import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findActivationById } from '../../server/src/db/activations.js';
import { usableCredentials } from '../../server/src/domain/credentials.js';
import { authType } from '../../server/src/auth-types/registry.js';
import { startOAuth1Provider, type OAuth1Provider } from '../fixtures/oauth1-provider.js';
import {
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
  embeddedWithSession,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let provider: OAuth1Provider;

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
});
afterEach(async () => {
  t.close();
  await provider?.close();
});

async function setup(signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT') {
  provider = await startOAuth1Provider(signatureMethod);
  return embeddedWithSession(t, org.prodKey, {
    name: 'OldAPI',
    baseUrl: `${provider.url}/api`,
    authMethod: {
      type: 'oauth1',
      config: {
        requestTokenUrl: `${provider.url}/oauth/request_token`,
        authorizeUrl: `${provider.url}/oauth/authorize`,
        accessTokenUrl: `${provider.url}/oauth/access_token`,
        consumerKey: provider.consumer.key,
        consumerSecret: provider.consumer.secret,
        signatureMethod,
      },
    },
    connectionName: 'OldAPI users',
  });
}

/** The provider auto-approves: its authorize endpoint redirects straight to our callback. */
async function authorize(authorizeUrl: string, extra = ''): Promise<URL> {
  const res = await fetch(authorizeUrl + extra, { redirect: 'manual' });
  return new URL(res.headers.get('location')!);
}

describe.each(['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'] as const)(
  'OAuth 1.0a three-legged flow with %s',
  (method) => {
    it('gets token credentials, stores them sealed, and signs later calls that the provider verifies', async () => {
      const { connectionId, token } = await setup(method);
      const start = await t.call('POST', '/connect/oauth/start', {
        token,
        body: { connectionId, flowId: 'f1' },
      });
      expect(start.status, start.text).toBe(200);
      const authorizeUrl = new URL(start.body.authorizeUrl);
      expect(authorizeUrl.pathname).toBe('/oauth/authorize');
      expect(authorizeUrl.searchParams.get('oauth_token')).toMatch(/^[0-9a-f]{24}$/);

      const back = await authorize(start.body.authorizeUrl);
      expect(back.origin + back.pathname).toBe('http://portico.test/connect/oauth/callback');
      const page = await t.call('GET', back.pathname + back.search);
      expect(page.status, page.text).toBe(200);
      const activationId = /data-activation-id="([^"]+)"/.exec(page.text)![1]!;
      expect(provider.rejected).toEqual([]);

      const usable = await usableCredentials(t.p, (await findActivationById(t.p.db, activationId))!);
      expect(usable.credentials).toMatchObject({
        token: expect.any(String),
        tokenSecret: expect.any(String),
        user_id: '42',
        screen_name: 'ada',
      });

      // `apply` signs a request the provider accepts, including query and form-body parameters.
      const request = {
        method: 'POST',
        url: new URL(`${provider.url}/api/statuses/update.json?include_entities=true`),
        headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        formBody: 'status=Hello%20Ladies%20%2B%20Gentlemen',
      };
      await authType('oauth1').apply!(request, usable.credentials, usable.config);
      const res = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.formBody,
      });
      expect(res.status).toBe(200);
      expect(provider.resourceCalls).toHaveLength(1);

      // A tampered request fails at the provider: the check is real.
      const tampered = await fetch(`${provider.url}/api/statuses/update.json?include_entities=false`, {
        method: 'POST',
        headers: request.headers,
        body: request.formBody,
      });
      expect(tampered.status).toBe(401);

      // Replaying the callback finds no pending flow.
      expect((await t.call('GET', back.pathname + back.search)).status).toBe(400);
    });
  },
);

describe('OAuth 1.0a errors', () => {
  it('reports a denied authorization as access_denied and stores nothing', async () => {
    const { connectionId, token } = await setup('HMAC-SHA1');
    const start = await t.call('POST', '/connect/oauth/start', { token, body: { connectionId } });
    const back = await authorize(start.body.authorizeUrl, '&deny=1');
    const page = await t.call('GET', back.pathname + back.search);
    expect(page.status).toBe(400);
    expect(page.text).toContain('data-code="access_denied"');
    expect(t.p.db.$client.prepare('SELECT count(*) AS n FROM activations').get()).toEqual({ n: 0 });
  });

  it('reports a wrong consumer secret as credentials_rejected', async () => {
    const { connectionId, token } = await setup('HMAC-SHA1');
    const [am] = (await t.call('GET', '/api/v1/connectors', { key: org.prodKey })).body.data[0].authMethods;
    const connectorId = (await t.call('GET', '/api/v1/connectors', { key: org.prodKey })).body.data[0].id;
    await t.call('PATCH', `/api/v1/connectors/${connectorId}/auth-methods/${am.id}`, {
      key: org.prodKey,
      body: {
        config: {
          requestTokenUrl: `${provider.url}/oauth/request_token`,
          authorizeUrl: `${provider.url}/oauth/authorize`,
          accessTokenUrl: `${provider.url}/oauth/access_token`,
          consumerKey: provider.consumer.key,
          consumerSecret: 'wrong',
        },
      },
    });
    const start = await t.call('POST', '/connect/oauth/start', { token, body: { connectionId } });
    expect(start.status).toBe(422);
    expect(start.body.error.code).toBe('credentials_rejected');
    expect(provider.rejected).toEqual(['/oauth/request_token']);
  });
});
