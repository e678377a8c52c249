import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { findActivationById, listActivationsOfUser } from '../server/src/db/activations.js';
import { findEndUser } from '../server/src/db/users.js';
import { usableCredentials } from '../server/src/domain/credentials.js';
import { proxyActivation } from '../server/src/domain/proxy.js';
import { mintSession } from '../server/src/domain/sessions.js';
import { NotFoundError } from '../server/src/errors.js';
import { assetTable } from '../server/src/pages/assets.js';
import { html, page, PAGE_HEADERS } from '../server/src/pages/html.js';
import type { Portico } from '../server/src/portico.js';
import { demoProvider } from './provider.js';
import type { DemoState } from './seed.js';
import { fromRoot } from '../server/src/paths.js';

/** The demo's one end user: in a real product, whoever is signed in to the vendor's app. */
export const DEMO_USER = {
  externalUserId: 'demo-user',
  displayName: 'Ada Lovelace',
  email: 'ada@acme.example',
};

const demoAsset = assetTable(fromRoot('demo/').href, { 'demo.js': 'demo.client.ts', 'demo.css': 'demo.css' });

/**
 * The demo (SPEC §9): "Acme CRM", a vendor's product, at `/`, with its own backend routes under
 * /demo/api (what a vendor's server would do with its secret key: mint sessions, call through
 * the proxy) and the built-in demo provider under /demo-provider.
 */
export function demoRoutes(p: Portico, state: DemoState) {
  const app = new Hono();
  const scope = { orgId: state.orgId, environmentId: state.environmentId };
  app.route('/', demoProvider(p.config.publicUrl).app);

  app.get('/', (c) => c.body(demoPage(state), 200, { ...PAGE_HEADERS, 'Cache-Control': 'no-cache' }));
  app.get('/demo/assets/:name', (c) => {
    const asset = demoAsset(c.req.param('name'));
    if (!asset) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=300' });
  });

  // The vendor backend mints a session for its signed-in user; the browser only gets the token.
  app.post('/demo/api/session', async (c) => {
    const session = await mintSession(p, scope, { ...DEMO_USER, ttlSeconds: 900 });
    return c.json({ token: session.token, expiresAt: session.expiresAt });
  });

  // Once connected, the vendor backend calls the target with the user's credentials, through the proxy.
  app.get('/demo/api/call/:connectionId', async (c) => {
    const integration = state.integrations.find((i) => i.connectionId === c.req.param('connectionId'));
    if (!integration?.callPath) throw new NotFoundError('Integration');
    const activation = await demoActivation(p, state, integration.connectionId);
    const started = performance.now();
    const res = await proxyActivation(
      p,
      scope,
      activation.id,
      integration.callPath.slice(1),
      new Request(`${p.config.publicUrl}/x`),
    );
    const body = await res.text();
    return c.json({
      request: `GET ${integration.callPath}`,
      via: `/api/v1/proxy/${activation.id}${integration.callPath}`,
      status: res.status,
      ms: Math.round(performance.now() - started),
      body: safeJson(body),
    });
  });

  // The "payments provider" sends a webhook signed with the secret the user set up.
  app.post('/demo/api/webhook/:connectionId', async (c) => {
    const integration = state.integrations.find(
      (i) => i.connectionId === c.req.param('connectionId') && i.kind === 'hmac',
    );
    if (!integration) throw new NotFoundError('Integration');
    const activation = await demoActivation(p, state, integration.connectionId);
    const { credentials } = await usableCredentials(p, activation);
    const body = JSON.stringify({
      type: 'payment.succeeded',
      amount: 4200,
      currency: 'EUR',
      at: new Date().toISOString(),
    });
    const signature = `sha256=${createHmac('sha256', String(credentials.secret)).update(body).digest('hex')}`;
    const res = await fetch(`${p.config.publicUrl}/hooks/${activation.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-demo-signature': signature },
      body,
    });
    return c.json({
      request: `POST /hooks/${activation.id}`,
      status: res.status,
      body: safeJson(await res.text()),
      sent: safeJson(body),
    });
  });

  return app;
}

async function demoActivation(p: Portico, state: DemoState, connectionId: string) {
  const user = await findEndUser(p.db, state.environmentId, DEMO_USER.externalUserId);
  const [row] = user ? await listActivationsOfUser(p.db, user.id, [connectionId]) : [];
  const activation = row ? await findActivationById(p.db, row.id) : undefined;
  if (!activation || activation.status === 'revoked') throw new NotFoundError('Activation (connect first)');
  return activation;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function demoPage(state: DemoState): string {
  return page(
    'Acme CRM — Integrations (Portico demo)',
    html`<div class="demo-banner" role="note">
        Portico demo — a pretend vendor app on this server. Disable with <code>PORTICO_DEMO=0</code>.
        <a href="/admin">Admin console</a> · <a href="/api/openapi.json">API</a>
      </div>
      <header class="app-header">
        <span class="logo" aria-hidden="true">◆</span>
        <span class="brand">Acme CRM</span>
        <nav aria-label="Breadcrumb">Settings › <strong>Integrations</strong></nav>
        <span class="user">Signed in as Ada Lovelace</span>
      </header>
      <main class="integrations">
        <h1>Integrations</h1>
        <p class="lead">
          Connect the tools your team uses. Your credentials go straight to Portico, encrypted; Acme never
          sees them.
        </p>
        <ul class="cards">
          ${state.integrations.map(
            (i) =>
              html`<li
                class="card"
                data-connection-id="${i.connectionId}"
                data-kind="${i.kind}"
                data-call="${i.callPath ?? ''}"
              >
                <div class="card-head">
                  <div>
                    <h2>${i.title}</h2>
                    <p>${i.description}</p>
                  </div>
                  <connect-button connection="${i.connectionId}" label="Connect"></connect-button>
                </div>
                <p class="hint"><span>Demo credentials:</span> ${i.hint}</p>
                <div class="result" aria-live="polite"></div>
              </li>`,
          )}
        </ul>
      </main>`,
    // The page's own script; it loads the widget from /widget/connect-button.js.
    '/demo/assets/demo.js',
    { stylesheet: '/demo/assets/demo.css' },
  );
}
