import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t, 'Acme CRM');
});
afterEach(() => t.close());

async function embeddedOf(type: string, config: Record<string, unknown> = {}) {
  const connector = await t.call('POST', '/api/v1/connectors', {
    key: org.prodKey,
    body: {
      name: 'Target <Systems>',
      baseUrl: 'https://t.test',
      authMethods: [{ name: type, type, config }],
    },
  });
  const connection = await t.call('POST', '/api/v1/connections', {
    key: org.prodKey,
    body: {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods[0].id,
      name: 'For users',
      embedded: true,
    },
  });
  return connection.body.id as string;
}

const inputNames = (html: string) => [...html.matchAll(/<input[^>]*name="([^"]+)"/g)].map((m) => m[1]);

describe('popup page', () => {
  it.each([
    ['api-key', { name: 'X-Key' }, ['apiKey']],
    ['basic', {}, ['username', 'password']],
    ['hmac', {}, ['secret']],
    ['none', {}, []],
    [
      'oauth2',
      { grantType: 'client_credentials', tokenUrl: 'https://t.test/token' },
      ['clientId', 'clientSecret'],
    ],
  ])('renders the %s form with the contract field names, each labelled', async (type, config, names) => {
    const id = await embeddedOf(type, config);
    const res = await t.call('GET', `/connect/popup/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(inputNames(res.text)).toEqual(names);
    for (const name of names) expect(res.text).toMatch(new RegExp(`<label for="f-${name}">`));
    expect(res.text.match(/<form/g)).toHaveLength(1);
    expect(res.text).toMatch(/<button type="submit"/);
    expect(res.text).toContain('role="alert"');
    // Names are escaped, and the vendor is named.
    expect(res.text).toContain('Target &#60;Systems&#62;');
    expect(res.text).toContain('Acme CRM');
  });

  it('refuses framing and inline scripts', async () => {
    const id = await embeddedOf('api-key', { name: 'X-Key' });
    const res = await t.call('GET', `/connect/popup/${id}`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).not.toMatch(/<script(?![^>]*src=)/);
  });

  it('renders a sign-in page for redirect flows and a 404 page for unknown or standard connections', async () => {
    const id = await embeddedOf('oauth2', {
      authorizeUrl: 'https://t.test/a',
      tokenUrl: 'https://t.test/t',
      clientId: 'c',
    });
    const redirect = await t.call('GET', `/connect/popup/${id}`);
    expect(redirect.text).toContain('data-kind="redirect"');
    expect(inputNames(redirect.text)).toEqual([]);
    expect((await t.call('GET', '/connect/popup/cx_unknown')).status).toBe(404);
  });

  it('serves the compiled popup script and styles', async () => {
    const js = await t.call('GET', '/connect/assets/popup.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.text).toContain('replaceState');
    expect(js.text).not.toContain('interface SessionInfo');
    const css = await t.call('GET', '/connect/assets/pages.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await t.call('GET', '/connect/assets/../../package.json')).status).toBe(404);
  });

  it('serves the connect link page', async () => {
    const res = await t.call('GET', '/connect/link');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.text).toContain('/connect/assets/link.js');
  });
});
