import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthTypeName } from '../server/src/auth-types/types.js';
import { findOrg } from '../server/src/db/orgs.js';
import { createConnection } from '../server/src/domain/connections.js';
import { createConnector } from '../server/src/domain/connectors.js';
import { bind } from '../server/src/domain/environments.js';
import { createOrg } from '../server/src/domain/orgs.js';
import type { Portico } from '../server/src/portico.js';
import { DEMO_CREDENTIALS } from './provider.js';

/** What the demo remembers about what it created: ids only, no secret (`<data>/demo.json`). */
export interface DemoState {
  orgId: string;
  environmentId: string;
  integrations: DemoIntegration[];
}

export interface DemoIntegration {
  connectionId: string;
  kind: string;
  title: string;
  description: string;
  /** What the user types into the popup in this demo (shown on the page). */
  hint: string;
  /** The path of a live call through the proxy once connected; none for webhook-only types. */
  callPath?: string;
}

const FILE = 'demo.json';

/**
 * Seeds the demo org on first start: one connector per auth type against the built-in demo
 * provider, each with an embedded connection bound in production. Later starts reuse it.
 */
export async function ensureDemo(p: Portico): Promise<DemoState> {
  const file = join(p.config.dataDir, FILE);
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
    if (await findOrg(p.db, state.orgId)) return state;
  }
  const publicUrl = p.config.publicUrl;
  const actor = { type: 'system' as const, id: 'demo' };
  const org = await createOrg(p, { name: 'Acme CRM (demo)', origins: [new URL(publicUrl).origin] }, actor);
  const production = org.environments.find((e) => e.name === 'production')!;
  const scope = { orgId: org.orgId, environmentId: production.id };
  const provider = `${publicUrl}/demo-provider`;
  const oidc = `${provider}/oidc`;

  const specs: (Omit<DemoIntegration, 'connectionId'> & {
    baseUrl: string;
    type: AuthTypeName;
    config?: Record<string, unknown>;
    verify?: { method: 'GET'; path: string; expectStatus: number[] };
  })[] = [
    {
      kind: 'api-key',
      title: 'Octo API',
      description: 'Issues and projects, with an API key.',
      hint: `API key: ${DEMO_CREDENTIALS.apiKey} (anything else is refused by the verification request)`,
      baseUrl: `${provider}/apikey`,
      type: 'api-key',
      config: { in: 'header', name: 'X-Api-Key' },
      verify: { method: 'GET', path: '/me', expectStatus: [200] },
      callPath: '/me',
    },
    {
      kind: 'basic',
      title: 'Ticket desk',
      description: 'Support tickets, with a username and password.',
      hint: `Username ${DEMO_CREDENTIALS.basic.username}, password ${DEMO_CREDENTIALS.basic.password}`,
      baseUrl: `${provider}/basic`,
      type: 'basic',
      verify: { method: 'GET', path: '/me', expectStatus: [200] },
      callPath: '/me',
    },
    {
      kind: 'oauth2',
      title: 'Identity Cloud',
      description: 'Sign in at the provider (OAuth2 authorization code with PKCE).',
      hint: 'Any user name and password at the provider’s sign-in page',
      baseUrl: `${provider}/oauth2`,
      type: 'oauth2',
      config: {
        authorizeUrl: `${oidc}/auth`,
        tokenUrl: `${oidc}/token`,
        issuer: oidc,
        clientId: DEMO_CREDENTIALS.webClient.id,
        clientSecret: DEMO_CREDENTIALS.webClient.secret,
        scopes: ['openid', 'offline_access', 'profile'],
        authorizeParams: { prompt: 'consent' },
      },
      callPath: '/me',
    },
    {
      kind: 'client-credentials',
      title: 'Machine API',
      description: 'Server-to-server, with your own OAuth2 client (client credentials).',
      hint: `Client ID ${DEMO_CREDENTIALS.machineClient.id}, secret ${DEMO_CREDENTIALS.machineClient.secret}`,
      baseUrl: `${provider}/oauth2`,
      type: 'oauth2',
      config: { grantType: 'client_credentials', tokenUrl: `${oidc}/token`, issuer: oidc },
      callPath: '/me',
    },
    {
      kind: 'oauth1',
      title: 'Classic Photos',
      description: 'An older API that signs every request (OAuth 1.0a).',
      hint: 'The provider approves at once',
      baseUrl: `${provider}/oauth1/api`,
      type: 'oauth1',
      config: {
        requestTokenUrl: `${provider}/oauth1/request_token`,
        authorizeUrl: `${provider}/oauth1/authorize`,
        accessTokenUrl: `${provider}/oauth1/access_token`,
        consumerKey: DEMO_CREDENTIALS.oauth1Consumer.key,
        consumerSecret: DEMO_CREDENTIALS.oauth1Consumer.secret,
        signatureMethod: 'HMAC-SHA1',
      },
      callPath: '/profile',
    },
    {
      kind: 'hmac',
      title: 'Payments webhooks',
      description: 'Receive signed webhooks (HMAC); leave the secret empty to get one.',
      hint: 'Leave the secret empty: Portico generates one and shows it once',
      baseUrl: `${provider}/hooks`,
      type: 'hmac',
      config: { header: 'X-Demo-Signature', prefix: 'sha256=', algorithm: 'sha256', encoding: 'hex' },
    },
    {
      kind: 'none',
      title: 'Status page',
      description: 'A public API: connecting is a confirmation.',
      hint: 'Nothing to type',
      baseUrl: `${provider}/public`,
      type: 'none',
      callPath: '/status',
    },
  ];

  const integrations: DemoIntegration[] = [];
  for (const spec of specs) {
    const connector = await createConnector(
      p,
      org.orgId,
      {
        name: spec.title,
        baseUrl: spec.baseUrl,
        authMethods: [{ name: spec.title, type: spec.type, ...(spec.config ? { config: spec.config } : {}) }],
        verify: spec.verify ?? null,
      },
      actor,
    );
    const connection = await createConnection(
      p,
      org.orgId,
      {
        connectorId: connector.id,
        authMethodId: connector.authMethods[0]!.id,
        name: `${spec.title} for customers`,
        embedded: true,
      },
      actor,
    );
    await bind(p, scope, connector.id, connection.id, actor);
    integrations.push({
      connectionId: connection.id,
      kind: spec.kind,
      title: spec.title,
      description: spec.description,
      hint: spec.hint,
      ...(spec.callPath ? { callPath: spec.callPath } : {}),
    });
  }
  const state: DemoState = { orgId: org.orgId, environmentId: production.id, integrations };
  writeFileSync(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  p.log.info('demo seeded', { orgId: org.orgId });
  return state;
}
