import { existsSync, readFileSync, statSync } from 'node:fs';
import { Hono } from 'hono';
import { authType } from '../../auth-types/registry.js';
import type { AuthTypeName } from '../../auth-types/types.js';
import { findConnectionViewUnscoped } from '../../db/connections.js';
import { findAuthMethod } from '../../db/connectors.js';
import { findOrg } from '../../db/orgs.js';
import { openAuthMethodConfig } from '../../domain/auth-methods.js';
import { finishOAuth } from '../../domain/oauth-flow.js';
import { callbackPage } from '../../pages/callback-page.js';
import type { Portico } from '../../portico.js';
import { pageAsset } from '../../pages/assets.js';
import { PAGE_HEADERS } from '../../pages/html.js';
import { landingPage, linkPage } from '../../pages/link-page.js';
import { popupPage, unavailablePage } from '../../pages/popup-page.js';
import { fromRoot } from '../../paths.js';

const WIDGET_DIST = fromRoot('widget/dist/');
const WIDGET_FILES: Record<string, string> = {
  'connect-button.js': 'text/javascript; charset=utf-8',
  'connect-button.d.ts': 'text/plain; charset=utf-8',
  'custom-elements.json': 'application/json; charset=utf-8',
  'react.d.ts': 'text/plain; charset=utf-8',
};

/** Server-rendered pages (popup, connect link), their assets, and the widget bundle. */
export function pageRoutes(p: Portico) {
  const app = new Hono();

  app.get('/connect/popup/:connectionId', async (c) => {
    const id = c.req.param('connectionId');
    const view = id.length <= 64 ? await findConnectionViewUnscoped(p.db, id) : undefined;
    if (!view || !view.connection.embedded) return c.body(unavailablePage(), 404, PAGE_HEADERS);
    const method = (await findAuthMethod(p.db, view.connection.orgId, view.connection.authMethodId))!;
    const org = await findOrg(p.db, view.connection.orgId);
    const type = authType(method.type as AuthTypeName);
    const activation = type.activation(openAuthMethodConfig(p.box, method));
    const html = popupPage({
      connectionId: view.connection.id,
      connectionName: view.connection.name,
      connectorName: view.connectorName,
      vendorName: org?.name ?? 'This app',
      authType: method.type,
      kind: activation.kind,
      fields: activation.kind === 'form' ? activation.fields : [],
    });
    return c.body(html, 200, PAGE_HEADERS);
  });

  // The provider's redirect target: exactly PORTICO_PUBLIC_URL/connect/oauth/callback.
  app.get('/connect/oauth/callback', async (c) => {
    const outcome = await finishOAuth(p, new URL(c.req.url).searchParams);
    return c.body(callbackPage(outcome), outcome.ok ? 200 : 400, PAGE_HEADERS);
  });

  app.get('/connect/link', (c) => c.body(linkPage(), 200, PAGE_HEADERS));

  // With the demo off, the root says what runs here.
  if (!p.config.demo) app.get('/', (c) => c.body(landingPage(), 200, PAGE_HEADERS));

  app.get('/connect/assets/:name', (c) => {
    const asset = pageAsset(c.req.param('name'));
    if (!asset) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=300' });
  });

  // The widget is loaded by vendors' pages on other origins as a module script, which browsers
  // fetch in CORS mode: hence Access-Control-Allow-Origin: *.
  app.get('/widget/:file', (c) => {
    const file = c.req.param('file');
    const type = WIDGET_FILES[file];
    const url = new URL(file, WIDGET_DIST);
    if (!type || !existsSync(url)) {
      return c.json(
        {
          error: {
            code: 'not_found',
            message: type ? 'The widget is not built: run `npm run build`' : 'No such file',
          },
        },
        404,
      );
    }
    const etag = `"${statSync(url).mtimeMs.toString(36)}-${statSync(url).size.toString(36)}"`;
    const headers = {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=3600',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ETag: etag,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(readFileSync(url), 200, headers);
  });

  return app;
}
