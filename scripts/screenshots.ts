// `npm run screenshots`: starts Portico on a fresh data directory (demo on), drives the real pages
// in Chromium like a newcomer would, and saves what they look like to docs/images/*.png.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdmin } from '../server/src/domain/admins.js';
import { loadConfig } from '../server/src/config.js';
import { openPortico } from '../server/src/portico.js';
import { DEMO_CREDENTIALS } from '../demo/provider.js';
import { launchChromium } from '../test/e2e/browser.js';
import { freePort, startServerProcess } from '../test/e2e/processes.js';

const OUT = new URL('../docs/images/', import.meta.url).pathname;
const EMAIL = 'you@acme.example';
const PASSWORD = 'screenshots-password-1';

const dir = mkdtempSync(join(tmpdir(), 'portico-shots-'));
const port = await freePort();
const env = {
  PORTICO_DATA_DIR: join(dir, 'data'),
  PORT: String(port),
  HOST: '127.0.0.1',
  PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
};
const server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, port);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(server.url);
  const card = (title: string) => page.locator('li.card', { has: page.locator('h2', { hasText: title }) });

  // The popup, mid-flow.
  const popupPromise = context.waitForEvent('page');
  await card('Octo API').locator('connect-button button[part="button"]').click();
  const popup = await popupPromise;
  await popup.setViewportSize({ width: 520, height: 560 });
  await popup.waitForLoadState('networkidle');
  await popup.fill('input[name="apiKey"]', DEMO_CREDENTIALS.apiKey);
  await popup.screenshot({ path: join(OUT, 'popup.png') });
  await popup.click('button[type="submit"]');
  await card('Octo API').locator('.result .ok').waitFor();

  // Two more, so the page shows connected cards and a live call.
  const second = context.waitForEvent('page');
  await popup.waitForEvent('close').catch(() => undefined);
  await card('Status page').locator('connect-button button[part="button"]').click();
  const statusPopup = await second;
  await statusPopup.waitForLoadState('networkidle');
  await statusPopup.click('button[type="submit"]');
  await card('Status page').locator('.result .ok').waitFor();
  await page.screenshot({ path: join(OUT, 'demo.png'), fullPage: true });

  // The admin console: an admin for the demo org, then the Connect and Users tabs.
  const p = await openPortico(loadConfig(env), { debug() {}, info() {}, warn() {}, error() {} });
  const orgId = (
    p.db.$client.prepare("SELECT id FROM orgs WHERE name = 'Acme CRM (demo)'").get() as { id: string }
  ).id;
  await createAdmin(p, { orgId, email: EMAIL, password: PASSWORD }, { type: 'cli', id: 'screenshots' });
  p.close();
  const admin = await context.newPage();
  await admin.goto(`${server.url}/admin`);
  await admin.getByLabel('Email').fill(EMAIL);
  await admin.getByLabel('Password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('heading', { name: 'Connect', level: 1 }).waitFor();
  await admin.waitForLoadState('networkidle');
  await admin.screenshot({ path: join(OUT, 'admin-connect.png') });
  await admin.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await admin.getByText('demo-user').first().waitFor();
  await admin.waitForLoadState('networkidle');
  await admin.screenshot({ path: join(OUT, 'admin-users.png') });
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
