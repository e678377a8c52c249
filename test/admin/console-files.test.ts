import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/src/http/on-error.js';
import { adminRoutes } from '../../server/src/http/routes/admin.js';
import { startTestPortico, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
let dist: string;

beforeEach(async () => {
  t = await startTestPortico();
  dist = mkdtempSync(join(tmpdir(), 'portico-admin-dist-'));
});
afterEach(() => {
  t.close();
  rmSync(dist, { recursive: true, force: true });
});

/** The admin routes alone, serving the console from `dist`. */
function appWith(distDir: string) {
  const app = new Hono();
  app.onError(errorHandler(t.p.log));
  app.route('/', adminRoutes(t.p, { distDir: pathToFileURL(distDir + '/') }));
  return app;
}

describe('the console’s files', () => {
  it('answers a clear 503 page when the console is not built', async () => {
    const res = await appWith(join(dist, 'missing')).request('/admin');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('npm run build');
  });

  it('serves index.html for /admin and its deep links under a strict CSP, assets cached for good', async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'export {};');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const app = appWith(dist);

    for (const path of ['/admin', '/admin/', '/admin/users']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('content-security-policy')).toMatch(
        /default-src 'none'; script-src 'self'; style-src 'self'/,
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }

    const js = await app.request('/admin/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = js.headers.get('etag')!;
    const again = await app.request('/admin/assets/index-abc123.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await app.request('/admin/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');

    expect((await app.request('/admin/assets/missing.js')).status).toBe(404);
    expect((await app.request('/admin/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/admin/assets/.hidden.js')).status).toBe(404);
    const api = await app.request('/admin/api/nope');
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
  });
});
