import { existsSync, readFileSync, statSync } from 'node:fs';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import { z } from 'zod';
import {
  AdminAuthError,
  ADMIN_SESSION_TTL_MS,
  adminSessionView,
  createSecretKey,
  csrfTokenMatches,
  findSignedInAdmin,
  listSecretKeys,
  normalizeEmail,
  orgEnvironments,
  revokeSecretKey,
  signIn,
  signOut,
} from '../../domain/admins.js';
import { NotFoundError, RateLimitedError, ValidationError } from '../../errors.js';
import { html, PAGE_HEADERS } from '../../pages/html.js';
import type { Portico } from '../../portico.js';
import { managementApi } from '../app.js';
import type { ApiEnv } from '../env.js';
import {
  ADMIN_COOKIE,
  adminAuth,
  adminSession,
  checkSameOrigin,
  CSRF_HEADER,
  type AdminEnv,
} from '../middleware/admin-auth.js';
import { jsonOnly } from '../middleware/json-only.js';
import { clientIp, WindowCounter } from '../middleware/rate-limit.js';
import { fromRoot } from '../../paths.js';

/** Where `npx vite build --config vite.admin.config.ts` puts the console. */
export const ADMIN_DIST = fromRoot('admin/dist/');
const LOGIN_WINDOW_MS = 15 * 60 * 1000;

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const LoginInput = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Body validation with the same error shape as the management API's schemas. */
function jsonBody<T extends z.ZodType>(schema: T) {
  return validator('json', (value): z.infer<T> => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = result.error.issues.slice(0, 5);
    throw new ValidationError(issues.map((i) => `${['body', ...i.path].join('.')}: ${i.message}`).join('; '));
  });
}

/**
 * The admin console (SPEC §9): sign-in with an httpOnly cookie session, the management API for the
 * signed-in admin at /admin/api/v1 (the same routes secret keys use, audited as the admin),
 * admin-only extras under /admin/api, and the console's built files.
 */
export function adminRoutes(p: Portico, options: { distDir?: URL } = {}) {
  const dist = options.distDir ?? ADMIN_DIST;
  const app = new Hono<AdminEnv>();
  const ownOrigin = new URL(p.config.publicUrl).origin;
  const secureCookie = new URL(p.config.publicUrl).protocol === 'https:';
  const loginsPerIp = new WindowCounter(p.config.limits.adminLogin.perIp, LOGIN_WINDOW_MS);
  const loginsPerEmail = new WindowCounter(p.config.limits.adminLogin.perEmail, LOGIN_WINDOW_MS);

  // ── Sign-in ────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/admin/login',
    jsonOnly(),
    async function sameOriginLogin(c, next) {
      // A login from another site would sign the victim in as the attacker ("login CSRF").
      checkSameOrigin(c, ownOrigin);
      await next();
    },
    jsonBody(LoginInput),
    async (c) => {
      const input = c.req.valid('json');
      if (p.config.rateLimits) {
        // Every attempt counts, before any scrypt runs: guessing and CPU burning are both capped.
        const wait = Math.max(
          loginsPerIp.hit(clientIp(c, p.config.trustProxy)),
          loginsPerEmail.hit(normalizeEmail(input.email)),
        );
        if (wait > 0) throw new RateLimitedError(wait);
      }
      const { sessionId, view } = await signIn(p, input);
      setCookie(c, ADMIN_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/admin',
        secure: secureCookie,
        maxAge: ADMIN_SESSION_TTL_MS / 1000,
      });
      return c.json(view, 200);
    },
  );

  app.post('/admin/logout', async (c) => {
    const sessionId = getCookie(c, ADMIN_COOKIE);
    const signedIn = sessionId ? await findSignedInAdmin(p, sessionId) : undefined;
    if (signedIn) {
      // Logging someone out is a state change too: the same CSRF rules as everything else.
      checkSameOrigin(c, ownOrigin);
      if (!csrfTokenMatches(c.req.header(CSRF_HEADER), signedIn.csrfToken)) {
        throw new AdminAuthError(403, 'csrf_failed', 'Missing or wrong X-CSRF-Token header');
      }
      await signOut(p, signedIn);
    }
    deleteCookie(c, ADMIN_COOKIE, {
      path: '/admin',
      secure: secureCookie,
      httpOnly: true,
      sameSite: 'Strict',
    });
    return c.body(null, 204);
  });

  app.get('/admin/session', adminSession(p), async (c) =>
    c.json(await adminSessionView(p, c.get('admin')), 200),
  );

  // ── Admin-only extras ──────────────────────────────────────────────────────────────────────

  app.get('/admin/api/environments', adminSession(p), async (c) => {
    return c.json({ data: await orgEnvironments(p, c.get('admin').org.id), nextCursor: null }, 200);
  });

  const keys = new Hono<ApiEnv>();
  keys.use(adminAuth(p));
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });
  keys.get('/', async (c) =>
    c.json({ data: await listSecretKeys(p, scopeOf(c.get('auth'))), nextCursor: null }),
  );
  keys.post('/', async (c) => {
    const auth = c.get('auth');
    return c.json(await createSecretKey(p, scopeOf(auth), auth.actor), 201);
  });
  keys.delete('/:id', async (c) => {
    const auth = c.get('auth');
    const id = c.req.param('id');
    if (id.length > 64) throw new NotFoundError('Secret key');
    return c.json(await revokeSecretKey(p, scopeOf(auth), id, auth.actor), 200);
  });
  app.route('/admin/api/secret-keys', keys);

  // A plain Hono around the OpenAPIHono: the routes are documented once, under /api/v1.
  const v1 = new Hono();
  v1.route('/', managementApi(p, adminAuth(p)));
  app.route('/admin/api/v1', v1);

  // ── The console's files ────────────────────────────────────────────────────────────────────

  app.get('/admin/assets/:file', (c) =>
    serveAsset(dist, c.req.param('file'), 'assets/', c.req.header('if-none-match')),
  );
  app.get('/admin/favicon.svg', (c) => serveAsset(dist, 'favicon.svg', '', c.req.header('if-none-match')));

  const indexPage = () => {
    const url = new URL('index.html', dist);
    if (!existsSync(url)) return new Response(notBuiltPage(), { status: 503, headers: PAGE_HEADERS });
    return new Response(readFileSync(url), { status: 200, headers: PAGE_HEADERS });
  };
  app.get('/admin', () => indexPage());
  app.get('/admin/*', (c) => {
    if (c.req.path.startsWith('/admin/api/')) throw new NotFoundError('Route');
    return indexPage();
  });

  return app;
}

/** Built files have content hashes in their names: cache them for a year. */
function serveAsset(dist: URL, file: string, folder: string, ifNoneMatch: string | undefined): Response {
  const type = ASSET_TYPES[file.slice(file.lastIndexOf('.'))];
  const url = new URL(folder + file, dist);
  if (!type || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(file) || !existsSync(url)) {
    throw new NotFoundError('Asset');
  }
  const stat = statSync(url);
  const etag = `"${stat.mtimeMs.toString(36)}-${stat.size.toString(36)}"`;
  const headers = {
    'Content-Type': type,
    'Cache-Control': folder ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
    ETag: etag,
  };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(readFileSync(url), { status: 200, headers });
}

function notBuiltPage(): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Admin console not built · Portico</title>
        <link rel="stylesheet" href="/connect/assets/pages.css" />
      </head>
      <body>
        <main class="card">
          <h1>The admin console is not built</h1>
          <p>
            Run <code>npm run build</code> (or <code>npx vite build --config vite.admin.config.ts</code>) in
            the Portico directory, then reload this page.
          </p>
        </main>
      </body>
    </html>`.value;
}
