import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../demo/provider.js';
import { launchChromium } from './browser.js';
import { freePort, startServerProcess, type ServerProcess } from './processes.js';

/** A newcomer's first five minutes: `npm start` on a fresh data directory, then every card of the demo. */
let dir: string;
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The popup of the last flow: the widget reuses one named window, so each test waits for it to close. */
let lastPopup: Page | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-demo-'));
  const port = await freePort();
  server = await startServerProcess(
    'node',
    ['bin/portico.js', 'serve'],
    {
      PORTICO_DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    port,
  );
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const card = (title: string) => page.locator('li.card', { has: page.locator('h2', { hasText: title }) });

async function open(title: string): Promise<Page> {
  if (lastPopup && !lastPopup.isClosed()) await lastPopup.waitForEvent('close', { timeout: 10_000 });
  const c = card(title);
  await expect.poll(() => c.locator('connect-button').getAttribute('state')).toBe('idle');
  const popup = context.waitForEvent('page');
  await c.locator('connect-button button[part="button"]').click();
  const p = await popup;
  await p.waitForLoadState();
  lastPopup = p;
  return p;
}

async function connected(c: Locator) {
  await expect
    .poll(() => c.locator('connect-button').getAttribute('state'), { timeout: 20_000 })
    .toBe('connected');
}

async function liveCall(title: string) {
  const result = card(title).locator('.result .ok');
  await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('Live call through the proxy');
  return card(title).locator('.result pre').textContent();
}

describe('the demo, from a fresh data directory', () => {
  it('shows the vendor app with one card per auth type', async () => {
    await expect.poll(() => page.locator('li.card').count()).toBe(7);
    expect(await page.locator('.demo-banner').textContent()).toContain('PORTICO_DEMO=0');
  });

  it('API key: refused when wrong, then connected, then a live call', async () => {
    const popup = await open('Octo API');
    await popup.fill('input[name="apiKey"]', 'wrong');
    await popup.click('button[type="submit"]');
    await expect.poll(() => popup.locator('[role="alert"]').textContent()).toContain('rejected');
    await popup.fill('input[name="apiKey"]', DEMO_CREDENTIALS.apiKey);
    await popup.click('button[type="submit"]');
    await connected(card('Octo API'));
    expect(await liveCall('Octo API')).toContain('Ada Lovelace');
  });

  it('Basic', async () => {
    const popup = await open('Ticket desk');
    await popup.fill('input[name="username"]', DEMO_CREDENTIALS.basic.username);
    await popup.fill('input[name="password"]', DEMO_CREDENTIALS.basic.password);
    await popup.click('button[type="submit"]');
    await connected(card('Ticket desk'));
    expect(await liveCall('Ticket desk')).toContain('→ 200');
  });

  it('OAuth2 authorization code, through the provider’s sign-in and consent pages', async () => {
    const popup = await open('Identity Cloud');
    await popup.click('button[type="submit"]');
    await popup.waitForURL(/\/demo-provider\/oidc\/interaction\//);
    await popup.fill('input[name="login"]', 'ada');
    await popup.fill('input[name="password"]', 'whatever');
    await popup.click('button[type="submit"]');
    await popup.waitForURL(/\/demo-provider\/oidc\/interaction\//);
    await popup.click('button[type="submit"]');
    await connected(card('Identity Cloud'));
    expect(await liveCall('Identity Cloud')).toContain('"subject": "ada"');
  });

  it('OAuth2 client credentials', async () => {
    const popup = await open('Machine API');
    await popup.fill('input[name="clientId"]', DEMO_CREDENTIALS.machineClient.id);
    await popup.fill('input[name="clientSecret"]', DEMO_CREDENTIALS.machineClient.secret);
    await popup.click('button[type="submit"]');
    await connected(card('Machine API'));
    expect(await liveCall('Machine API')).toContain(`"subject": "${DEMO_CREDENTIALS.machineClient.id}"`);
  });

  it('OAuth 1.0a', async () => {
    const popup = await open('Classic Photos');
    await popup.click('button[type="submit"]');
    await connected(card('Classic Photos'));
    expect(await liveCall('Classic Photos')).toContain('"screen_name": "ada"');
  });

  it('HMAC: a generated secret, shown once, then a signed test webhook Portico verifies', async () => {
    const popup = await open('Payments webhooks');
    await popup.click('button[type="submit"]');
    await expect.poll(() => popup.inputValue('#revealed-secret')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await popup.click('#finish');
    await connected(card('Payments webhooks'));
    await card('Payments webhooks').locator('.result button').click();
    await expect
      .poll(() => card('Payments webhooks').locator('.result .ok').textContent())
      .toContain('Signature verified');
  });

  it('None', async () => {
    const popup = await open('Status page');
    await popup.click('button[type="submit"]');
    await connected(card('Status page'));
    expect(await liveCall('Status page')).toContain('all systems operational');
  });

  it('after a reload every card is still connected', async () => {
    await page.reload();
    for (const title of [
      'Octo API',
      'Ticket desk',
      'Identity Cloud',
      'Machine API',
      'Classic Photos',
      'Payments webhooks',
      'Status page',
    ]) {
      await connected(card(title));
    }
  });
});
