import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portico, ROOT, startServerProcess, type ServerProcess } from './processes.js';

/**
 * The admin console in a real Chromium against a real `portico serve`: sign-in, the Connect tab's
 * forms, bindings across environments, the Users tab, CSRF from another origin, and axe.
 */
const PASSWORD = 'a console password that is long';
const EMAIL = 'admin@acme.test';
const VENDOR_ORIGIN = 'https://app.acme.test';

let dir: string;
let env: Record<string, string>;
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let foreign: { server: Server; url: string };
let org: { orgId: string; environments: { id: string; name: string; secretKey: string }[] };
/** Problems the page reported: script errors and CSP violations must never happen. */
const pageProblems: string[] = [];

/** Runs the CLI with `input` on its standard input. */
function cliWithStdin(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['bin/portico.js', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function startForeignSite(target: string): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  // "localhost" is another site than "127.0.0.1": the console's SameSite=Strict cookie stays home.
  const url = `http://localhost:${port}`;
  const srv = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Evil</title>
      <form method="POST" action="${target}/admin/api/v1/connectors" enctype="text/plain">
        <input name='{"name":"Evil","baseUrl":"https://evil.test","authMethods":[{"name":"x","type":"none"}],"x":"' value='"}'>
        <button>Send</button>
      </form>
      <script>
        window.attack = () => fetch('${target}/admin/api/v1/connectors', {
          method: 'POST', mode: 'no-cors', credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ name: 'Evil', baseUrl: 'https://evil.test', authMethods: [{ name: 'x', type: 'none' }] }),
        }).then(() => 'sent', (e) => 'blocked: ' + e.message);
      </script>`);
  });
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return { server: srv, url };
}

/** Runs axe in the page (evaluated, so the console's own CSP stays in force) and returns serious problems. */
async function axeViolations(p: Page): Promise<string[]> {
  const source = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await p.evaluate(source);
  const violations = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document)).violations as {
      id: string;
      impact: string;
      help: string;
      nodes: { target: unknown[] }[];
    }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
    );
}

const card = (name: string) => page.locator('admin-connection-card').filter({ hasText: name });
/** The text of a card: its shadow root's, which the host's own textContent does not include. */
const cardText = (name: string) => card(name).locator('article').textContent();
const navLink = (name: string) => page.getByRole('navigation').getByRole('link', { name });

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'admin/dist/index.html'))) {
    await promisify(execFile)('npx', ['vite', 'build', '--config', 'vite.admin.config.ts'], {
      cwd: ROOT,
      timeout: 120_000,
    });
  }
  dir = mkdtempSync(join(tmpdir(), 'portico-admin-e2e-'));
  const port = await freePort();
  env = {
    PORTICO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORTICO_DEMO: '0',
    PORTICO_LOG_LEVEL: 'warn',
  };
  org = JSON.parse(
    (await portico(['org', 'create', '--name', 'Acme Inc', '--origin', VENDOR_ORIGIN, '--json'], env)).stdout,
  );
  const admin = await cliWithStdin(
    ['admin', 'create', '--org', org.orgId, '--email', EMAIL, '--password-stdin', '--json'],
    `${PASSWORD}\n`,
  );
  expect(admin.code, admin.stderr).toBe(0);
  expect(JSON.parse(admin.stdout)).toMatchObject({ orgId: org.orgId, email: EMAIL });

  server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, port);
  foreign = await startForeignSite(server.url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageProblems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) pageProblems.push(`csp: ${m.text()}`);
  });
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => (foreign ? foreign.server.close(r) : r(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('admin console', () => {
  it('serves the console with a strict CSP and refuses a wrong password', async () => {
    const response = await page.goto(`${server.url}/admin`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to the admin console' }).count())
      .toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password.');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connect', level: 1 }).waitFor();
    expect(await page.getByText('Acme Inc').count()).toBe(1);
    const cookie = (await context.cookies()).find((c) => c.name === 'portico_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
  });

  it('creates a connector and an embedded connection through the forms', async () => {
    await page.getByRole('button', { name: '+ New Connector' }).click();
    await page.getByLabel('Name', { exact: true }).fill('GitHub');
    await page.getByLabel('Base URL').fill('https://api.github.test');
    await page.getByLabel('Authentication type').selectOption('api-key');
    await page.getByLabel('Header name').fill('Authorization');
    await page.getByLabel(/Value prefix/).fill('token ');
    await page.getByRole('button', { name: 'Create connector' }).click();
    await page.getByRole('heading', { name: 'GitHub', level: 2 }).waitFor();
    expect(await page.getByText('https://api.github.test').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: '+ New Connection' }).click();
    const authTypes = await page
      .getByLabel('Auth method', { exact: true })
      .locator('option')
      .allTextContents();
    expect(authTypes.map((t) => t.trim())).toEqual(['API Key (API Key)', 'Create a new auth method…']);
    await page
      .getByLabel('Auth method', { exact: true })
      .selectOption({ label: 'Create a new auth method…' });
    const types = await page.getByLabel('Authentication type').locator('option').allTextContents();
    expect(types.map((t) => t.trim())).toEqual([
      'API Key',
      'Basic Auth',
      'OAuth2',
      'OAuth1',
      'HMAC (Webhook Only)',
      'None (Bypass Authentication)',
    ]);
    await page.getByLabel('Auth method', { exact: true }).selectOption({ label: 'API Key (API Key)' });
    await page.getByLabel('Connection Name').fill('GitHub for customers');

    // A standard connection asks for the credentials; the Embedded Connection toggle removes them.
    const apiKeyField = page.getByLabel('API key', { exact: true });
    expect(await apiKeyField.count()).toBe(1);
    await page.getByRole('switch', { name: 'Embedded Connection' }).check();
    expect(await apiKeyField.count()).toBe(0);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    const created = card('GitHub for customers');
    await created.waitFor();
    expect(await cardText('GitHub for customers')).toContain('Embedded');
    expect(await cardText('GitHub for customers')).toContain('Not In Use');
    expect(await created.getByTestId('linked').textContent()).toBe('0');
    expect(await cardText('GitHub for customers')).toContain('Authorization'); // the auth method's configuration
  });

  it('uses the connection in production and reuses it in development', async () => {
    const cx = card('GitHub for customers');
    await cx.getByRole('button', { name: 'Use in production' }).click();
    await expect.poll(() => cardText('GitHub for customers')).toContain('Connection In Use');
    await expect.poll(() => cx.getByTestId('linked').textContent()).toBe('1');

    await page.getByLabel('Environment').selectOption({ label: 'development' });
    await cx.getByRole('button', { name: 'Use in development' }).click();
    await expect.poll(() => cx.getByTestId('linked').textContent()).toBe('2');
    await page.getByLabel('Environment').selectOption({ label: 'production' });
    await cx.getByRole('button', { name: 'Stop using in production' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('imports a connector from OpenAPI and lists what it could not map', async () => {
    await page.getByRole('button', { name: 'Import from OpenAPI' }).click();
    await page
      .getByLabel('OpenAPI document (JSON or YAML)')
      .fill(
        [
          'openapi: 3.0.3',
          'info: { title: Petstore, version: 1.0.0 }',
          'servers: [{ url: "https://petstore.test/v1" }]',
          'paths: {}',
          'components:',
          '  securitySchemes:',
          '    key: { type: apiKey, in: header, name: X-API-Key }',
          '    oidc: { type: openIdConnect, openIdConnectUrl: "https://petstore.test/.well-known/openid-configuration" }',
        ].join('\n'),
      );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Petstore', level: 2 }).waitFor();
    expect(await page.getByText('https://petstore.test/v1').count()).toBeGreaterThan(0);
    const warnings = page.getByRole('status').filter({ hasText: 'Imported with warnings' });
    expect(await warnings.textContent()).toContain('oidc');
    await page.getByRole('button', { name: /^GitHub/ }).click();
    await card('GitHub for customers').waitFor();
  });

  it('shows a user in the Users tab after they activate, and revokes the activation', async () => {
    await navLink('Users').click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByLabel('External user ID').fill('cus_42');
    await page.getByLabel(/Display name/).fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Create connect link' }).click();
    const link = await page.getByLabel('Connect link').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/connect/link#token=ey`));

    // The user activates with their own API key, as the connect page's popup would.
    const token = link.split('#token=')[1]!;
    const session = await fetch(`${server.url}/connect/session`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json());
    const activation = await fetch(`${server.url}/connect/activations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        connectionId: session.connections[0].id,
        credentials: { apiKey: 'ghp_user_own_key' },
      }),
    });
    expect(activation.status).toBe(201);

    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByRole('row').filter({ hasText: 'GitHub for customers' });
    await expect.poll(() => row.textContent()).toContain('Active');
    expect(await page.getByText('cus_42', { exact: true }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await row.getByRole('button', { name: /^Revoke/ }).click();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    await row.getByRole('button', { name: /^History/ }).click();
    const history = page.getByRole('region', { name: /History of GitHub for customers for cus_42/ });
    await expect.poll(() => history.textContent()).toContain('activation.revoked by admin');
    expect(await history.textContent()).toContain('activation.created by session');

    // The connect page now shows the user's connection as not connected.
    const after = await fetch(`${server.url}/connect/session`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json());
    expect(after.connections[0].status).toBe('inactive');
  });

  it('shows a new secret key once in Settings, and axe finds nothing serious in dark mode either', async () => {
    await navLink('Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create secret key' }).click();
    const key = await page.getByLabel('Secret key', { exact: true }).inputValue();
    expect(key).toMatch(/^sk_/);
    const res = await fetch(`${server.url}/api/v1/environment`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByLabel('Secret key', { exact: true }).count()).toBe(0);
    expect(await page.getByText(`${key.slice(0, 7)}…`, { exact: true }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await navLink('Connect').click();
    await page.getByRole('button', { name: /^GitHub/ }).click();
    await card('GitHub for customers').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses state changes from another origin', async () => {
    const connectorsBefore = await countConnectors();
    // A page on another site: its form post and its fetch reach Portico without the session.
    const evil = await context.newPage();
    await evil.goto(foreign.url);
    expect(await evil.evaluate(() => (window as unknown as { attack: () => Promise<string> }).attack())).toBe(
      'sent',
    );
    const [response] = await Promise.all([
      evil.waitForResponse((r) => r.url().endsWith('/admin/api/v1/connectors')),
      evil.getByRole('button', { name: 'Send' }).click(),
    ]);
    expect([401, 403]).toContain(response.status());
    await evil.close();

    // Even someone holding the cookie and the CSRF token is refused from a foreign Origin.
    const cookie = (await context.cookies()).find((c) => c.name === 'portico_admin')!;
    const { csrfToken } = await page.evaluate(() => fetch('/admin/session').then((r) => r.json()));
    const forged = await fetch(`${server.url}/admin/api/v1/connectors`, {
      method: 'POST',
      headers: {
        cookie: `portico_admin=${cookie.value}`,
        'x-csrf-token': csrfToken,
        'x-portico-environment': org.environments[0]!.id,
        origin: foreign.url,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'Evil',
        baseUrl: 'https://evil.test',
        authMethods: [{ name: 'x', type: 'none' }],
      }),
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('csrf_failed');
    expect(await countConnectors()).toBe(connectorsBefore);
  });

  it('signs out, and never tripped the CSP or a script error', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'portico_admin')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    const old = await fetch(`${server.url}/admin/session`, {
      headers: { cookie: `portico_admin=${cookie.value}` },
    });
    expect(old.status).toBe(401);
    expect(pageProblems).toEqual([]);
    expect(server.output()).not.toContain('ghp_user_own_key');
    expect(server.output()).not.toContain(PASSWORD);
  });
});

async function countConnectors(): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/connectors`, {
    headers: { authorization: `Bearer ${org.environments[0]!.secretKey}` },
  });
  return ((await res.json()) as { data: unknown[] }).data.length;
}
