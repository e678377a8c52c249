import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import Provider from 'oidc-provider';
import { createOAuth1Provider } from './oauth1-provider.js';

/**
 * The demo's target systems, served by Portico itself under /demo-provider so every auth type
 * can be tried offline: an API-key API, a Basic API, a public API, a real OAuth2 / OpenID
 * authorization server (the `oidc-provider` package) with an API behind it, and an OAuth 1.0a
 * provider with an API behind it. The credentials below are the demo's, shown on the demo page.
 */
export const DEMO_CREDENTIALS = {
  apiKey: 'demo-api-key-1234',
  basic: { username: 'ada', password: 'lovelace' },
  machineClient: { id: 'acme-machine', secret: 'acme-machine-secret' },
  webClient: { id: 'portico-demo', secret: 'portico-demo-web-secret' },
  oauth1Consumer: { key: 'portico-demo-consumer', secret: 'portico-demo-consumer-secret' },
};

const PROFILE = { id: 1815, name: 'Ada Lovelace', plan: 'analytical-engine', projects: 3 };

type Node = { incoming: IncomingMessage; outgoing: ServerResponse };

export function demoProvider(publicUrl: string) {
  const issuer = `${publicUrl}/demo-provider/oidc`;
  // A signing key per process: the demo's ID tokens need not outlive it.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...(privateKey.export({ format: 'jwk' }) as Record<string, string>),
    kid: 'demo',
    alg: 'RS256',
    use: 'sig',
  };
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CREDENTIALS.webClient.id,
        client_secret: DEMO_CREDENTIALS.webClient.secret,
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [`${publicUrl}/connect/oauth/callback`],
        response_types: ['code'],
      },
      {
        client_id: DEMO_CREDENTIALS.machineClient.id,
        client_secret: DEMO_CREDENTIALS.machineClient.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    // The provider's own login and consent pages: any user name and password are accepted.
    features: { devInteractions: { enabled: true }, clientCredentials: { enabled: true } },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: id }) }),
    scopes: ['openid', 'offline_access', 'profile'],
    issueRefreshToken: () => true,
    rotateRefreshToken: true,
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('base64')] },
    jwks: { keys: [signingKey] },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 86_400,
      Interaction: 600,
      Session: 86_400,
      Grant: 14 * 86_400,
    },
  });
  oidc.on('server_error', () => undefined);
  const oidcCallback = oidc.callback();
  const oauth1 = createOAuth1Provider({
    prefix: '/demo-provider/oauth1',
    consumer: DEMO_CREDENTIALS.oauth1Consumer,
  });

  const app = new Hono<{ Bindings: Node }>();
  app.get('/demo-provider/apikey/me', (c) =>
    c.req.header('x-api-key') === DEMO_CREDENTIALS.apiKey
      ? c.json(PROFILE)
      : c.json({ error: 'invalid API key' }, 401),
  );
  app.get('/demo-provider/basic/me', (c) => {
    const expected = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.basic.username}:${DEMO_CREDENTIALS.basic.password}`).toString('base64')}`;
    return c.req.header('authorization') === expected
      ? c.json(PROFILE)
      : c.json({ error: 'invalid username or password' }, 401);
  });
  app.get('/demo-provider/public/status', (c) =>
    c.json({ status: 'all systems operational', at: new Date().toISOString() }),
  );
  app.get('/demo-provider/oauth2/me', async (c) => {
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const found = token
      ? ((await oidc.AccessToken.find(token)) ?? (await oidc.ClientCredentials.find(token)))
      : undefined;
    if (!found) return c.json({ error: 'invalid_token' }, 401);
    return c.json({ ...PROFILE, subject: 'accountId' in found ? found.accountId : found.clientId });
  });
  app.all('/demo-provider/oidc/*', async (c) => {
    const { incoming, outgoing } = c.env;
    // oidc-provider is mounted under a path: it sees the path below it, and the original for its URLs.
    (incoming as IncomingMessage & { originalUrl?: string }).originalUrl = incoming.url;
    incoming.url = incoming.url!.slice('/demo-provider/oidc'.length) || '/';
    await oidcCallback(incoming, outgoing);
    return RESPONSE_ALREADY_SENT;
  });
  app.all('/demo-provider/oauth1/*', async (c) => {
    const answer = oauth1.handle({
      method: c.req.method,
      url: new URL(new URL(c.req.url).pathname + new URL(c.req.url).search, publicUrl),
      headers: Object.fromEntries(c.req.raw.headers),
      body: c.req.method === 'GET' ? '' : await c.req.text(),
    });
    if (!answer) return c.json({ error: 'not found' }, 404);
    return c.body(answer.body, answer.status as 200, answer.headers);
  });
  return {
    app,
    issuer,
    urls: {
      authorize: `${issuer}/auth`,
      token: `${issuer}/token`,
      oauth1: `${publicUrl}/demo-provider/oauth1`,
    },
  };
}
