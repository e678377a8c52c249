import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CC_CLIENT, startOidcProvider, WEB_CLIENT, type OidcFixture } from '../fixtures/oidc.js';
import { startUpstream, type Upstream } from '../fixtures/upstream.js';
import { launchChromium } from './browser.js';
import { freePort, portico, startServerProcess, type ServerProcess } from './processes.js';
import { startVendorApp, type VendorApp } from './vendor-app.js';

/**
 * The heart of the product in a real browser: a vendor page on another origin embeds the
 * widget; the end user completes the popup; the page learns the result — also when its
 * Cross-Origin-Opener-Policy cuts the popup off.
 */
let dir: string;
let server: ServerProcess;
let vendor: VendorApp;
let browser: Browser;
let oidc: OidcFixture;
let upstream: Upstream;
let key: string;
const cx: Record<string, string> = {};
const requestedUrls: string[] = [];

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function embedded(
  name: string,
  type: string,
  config: Record<string, unknown> = {},
  verify?: Record<string, unknown>,
) {
  const connector = await api('POST', '/api/v1/connectors', {
    name,
    baseUrl: upstream.url,
    authMethods: [{ name, type, config }],
    ...(verify ? { verify } : {}),
  });
  const connection = await api('POST', '/api/v1/connections', {
    connectorId: connector.id,
    authMethodId: connector.authMethods[0].id,
    name: `${name} for customers`,
    embedded: true,
  });
  await api('PUT', `/api/v1/bindings/${connector.id}`, { connectionId: connection.id });
  return connection.id as string;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-widget-e2e-'));
  upstream = await startUpstream((r) => r.headers['x-api-key'] === 'right-key');
  const port = await freePort();
  // oidc-provider's own login and consent pages, filled in by the test like a person would.
  oidc = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/connect/oauth/callback`],
    interactions: 'form',
  });
  const vendorPort = await freePort();
  const env = {
    PORTICO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORTICO_LOG_LEVEL: 'info',
  };
  const org = JSON.parse(
    (
      await portico(
        ['org', 'create', '--name', 'Acme CRM', '--origin', `http://localhost:${vendorPort}`, '--json'],
        env,
      )
    ).stdout,
  );
  key = org.environments[0].secretKey;
  server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, port);
  cx.apiKey = await embedded('GitHub', 'api-key', { name: 'X-Api-Key' }, { path: '/user' });
  cx.basic = await embedded('Jira', 'basic');
  cx.hmac = await embedded('Stripe', 'hmac', { prefix: 'sha256=' });
  cx.none = await embedded('Status page', 'none');
  cx.authorizationCode = await embedded('Identity', 'oauth2', {
    authorizeUrl: oidc.authorizeUrl,
    tokenUrl: oidc.tokenUrl,
    clientId: WEB_CLIENT.id,
    clientSecret: WEB_CLIENT.secret,
    scopes: ['openid', 'offline_access'],
    issuer: oidc.issuer,
    authorizeParams: { prompt: 'consent' },
  });
  cx.clientCredentials = await embedded('Machine API', 'oauth2', {
    grantType: 'client_credentials',
    tokenUrl: oidc.tokenUrl,
    issuer: oidc.issuer,
  });
  vendor = await startVendorApp({
    portico: server.url,
    secretKey: key,
    connections: Object.values(cx),
    port: vendorPort,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vendor?.close();
  await server?.stop();
  await oidc?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openVendor(path = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  context.on('request', (r) => requestedUrls.push(r.url()));
  const page = await context.newPage();
  await page.goto(`${vendor.origin}${path}`);
  return { context, page };
}

const button = (page: Page, id: string) => page.locator(`connect-button[connection="${id}"]`);
const events = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __events: { type: string; detail: Record<string, string> }[] }).__events,
  );

async function waitForEvent(page: Page, type: string, connectionId: string) {
  await page.waitForFunction(
    ([t, c]) =>
      (window as unknown as { __events: { type: string; detail: { connectionId: string } }[] }).__events.some(
        (e) => e.type === t && e.detail.connectionId === c,
      ),
    [type, connectionId] as const,
    { timeout: 20_000 },
  );
  return (await events(page)).find((e) => e.type === type && e.detail.connectionId === connectionId)!;
}

/** Clicks Connect and answers the popup that opens. */
async function connect(context: BrowserContext, page: Page, id: string, fill: Record<string, string>) {
  await expect.poll(() => button(page, id).getAttribute('state')).toBe('idle');
  const popupPromise = context.waitForEvent('page');
  await button(page, id).locator('button[part="button"]').click();
  const popup = await popupPromise;
  await popup.waitForLoadState();
  // The token travels in the fragment and is dropped from history at once.
  await expect.poll(() => popup.url()).not.toContain('token=');
  for (const [name, value] of Object.entries(fill)) await popup.fill(`input[name="${name}"]`, value);
  await popup.locator('button[type="submit"]').click();
  return popup;
}

describe('connect flows in Chromium', () => {
  it.each([
    ['apiKey', { apiKey: 'right-key' }],
    ['basic', { username: 'ada', password: 'pw' }],
    ['hmac', { secret: '' }],
    ['none', {}],
    ['clientCredentials', { clientId: CC_CLIENT.id, clientSecret: CC_CLIENT.secret }],
  ] as const)(
    '%s: the page receives connect-success, the activation is active, reload shows Connected, Disconnect revokes',
    async (kind, fill) => {
      const id = cx[kind]!;
      const { context, page } = await openVendor();
      const popup = await connect(context, page, id, fill);
      if (kind === 'hmac') {
        // The generated secret is shown once, then the user closes the popup.
        await expect.poll(() => popup.inputValue('#revealed-secret')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        await popup.click('#finish');
      }
      const success = await waitForEvent(page, 'connect-success', id);
      expect(success.detail.activationId).toMatch(/^act_/);
      const activation = await api('GET', `/api/v1/activations/${success.detail.activationId}`);
      expect(activation).toMatchObject({ status: 'active', connectionId: id, externalUserId: 'cus_e2e' });
      await expect.poll(() => button(page, id).getAttribute('state')).toBe('connected');

      await page.reload();
      await expect.poll(() => button(page, id).getAttribute('state')).toBe('connected');
      await button(page, id).locator('[part="disconnect"]').click();
      const disconnected = await waitForEvent(page, 'connect-disconnect', id);
      expect(disconnected.detail.activationId).toBe(success.detail.activationId);
      expect((await api('GET', `/api/v1/activations/${success.detail.activationId}`)).status).toBe('revoked');
      await expect.poll(() => button(page, id).getAttribute('state')).toBe('idle');
      await context.close();
    },
  );

  it('OAuth2 authorization code: sign-in and consent at the provider, callback, connect-success, tokens stored', async () => {
    const id = cx.authorizationCode!;
    const { context, page } = await openVendor();
    await expect.poll(() => button(page, id).getAttribute('state')).toBe('idle');
    const popupPromise = context.waitForEvent('page');
    await button(page, id).locator('button[part="button"]').click();
    const popup = await popupPromise;
    await popup.waitForLoadState();
    // The popup goes to the provider: its sign-in form, then its consent form.
    await popup.locator('button[type="submit"]').click();
    await popup.waitForURL(new RegExp(`^${oidc.issuer}/interaction/`));
    await popup.fill('input[name="login"]', 'ada');
    await popup.fill('input[name="password"]', 'anything');
    await popup.locator('button[type="submit"]').click();
    await popup.waitForURL(new RegExp(`^${oidc.issuer}/interaction/`));
    await popup.locator('button[type="submit"]').click();
    const success = await waitForEvent(page, 'connect-success', id);
    expect((await api('GET', `/api/v1/activations/${success.detail.activationId}`)).status).toBe('active');
    const read = await api('GET', `/api/v1/activations/${success.detail.activationId}/credentials`);
    expect(read.credentials).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    await expect.poll(() => button(page, id).getAttribute('state')).toBe('connected');
    // No cancel was reported when the popup left for the provider.
    expect(
      (await events(page)).filter((e) => e.type === 'connect-cancel' && e.detail.connectionId === id),
    ).toEqual([]);
    await context.close();
  });

  it('a wrong key is refused in the popup (422) and the user can correct it', async () => {
    const { context, page } = await openVendor();
    const popup = await connect(context, page, cx.apiKey!, { apiKey: 'wrong-key' });
    await expect.poll(() => popup.locator('[role="alert"]').textContent()).toContain('rejected');
    await popup.fill('input[name="apiKey"]', 'right-key');
    await popup.locator('button[type="submit"]').click();
    const success = await waitForEvent(page, 'connect-success', cx.apiKey!);
    await api('DELETE', `/api/v1/activations/${success.detail.activationId}`);
    await context.close();
  });

  it('closing the popup gives connect-cancel', async () => {
    const { context, page } = await openVendor();
    await expect.poll(() => button(page, cx.none!).getAttribute('state')).toBe('idle');
    const popupPromise = context.waitForEvent('page');
    await button(page, cx.none!).locator('button[part="button"]').click();
    const popup = await popupPromise;
    await popup.waitForLoadState();
    await popup.close({ runBeforeUnload: true });
    await waitForEvent(page, 'connect-cancel', cx.none!);
    expect((await events(page)).filter((e) => e.type === 'connect-success')).toEqual([]);
    await context.close();
  });

  it('a vendor page with Cross-Origin-Opener-Policy: same-origin still receives the result, exactly once', async () => {
    const { context, page } = await openVendor('/coop');
    const popup = await connect(context, page, cx.apiKey!, { apiKey: 'right-key' });
    const success = await waitForEvent(page, 'connect-success', cx.apiKey!);
    expect(success.detail.activationId).toMatch(/^act_/);
    await popup.close().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await events(page)).filter((e) => e.type === 'connect-success')).toHaveLength(1);
    await api('DELETE', `/api/v1/activations/${success.detail.activationId}`);
    await context.close();
  });

  it('never puts the token in a query string or in the server log', async () => {
    const jwt = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
    for (const url of requestedUrls) {
      const { search } = new URL(url);
      expect(search, url).not.toMatch(jwt);
      expect(search, url).not.toContain('token=');
    }
    expect(requestedUrls.some((u) => u.includes('/connect/popup/'))).toBe(true);
    expect(server.output()).not.toMatch(jwt);
    expect(server.output()).toContain('"path":"/connect/session"');
  });
});
