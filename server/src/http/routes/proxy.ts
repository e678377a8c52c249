import { Hono } from 'hono';
import { proxyActivation, proxyConnection } from '../../domain/proxy.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';

/**
 * `ANY /api/v1/proxy/{activationId}/{path…}` and `ANY /api/v1/proxy/connections/{connectionId}/{path…}`.
 * The path is taken from the raw URL, still percent-encoded, so the upstream sees what the
 * caller sent (after `upstreamUrl`'s checks).
 */
export function proxyRoutes(p: Portico) {
  const app = new Hono<ApiEnv>();
  // Hono's bodyLimit would read the body through a web stream; the proxy streams the Node
  // request itself and enforces the limit on the way (see proxyRequest).
  const rawPathAfter = (url: string, prefixSegments: number) => {
    const segments = new URL(url).pathname.split('/');
    // ['', 'api', 'v1', 'proxy', …]: drop the route's own segments.
    return segments.slice(prefixSegments).join('/');
  };
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });

  app.all('/proxy/connections/:connectionId/*', (c) =>
    proxyConnection(
      p,
      scopeOf(c.get('auth')),
      c.req.param('connectionId'),
      rawPathAfter(c.req.url, 6),
      c.req.raw,
      c.env?.incoming,
    ),
  );
  app.all('/proxy/connections/:connectionId', (c) =>
    proxyConnection(p, scopeOf(c.get('auth')), c.req.param('connectionId'), '', c.req.raw, c.env?.incoming),
  );
  app.all('/proxy/:activationId/*', (c) =>
    proxyActivation(
      p,
      scopeOf(c.get('auth')),
      c.req.param('activationId'),
      rawPathAfter(c.req.url, 5),
      c.req.raw,
      c.env?.incoming,
    ),
  );
  app.all('/proxy/:activationId', (c) =>
    proxyActivation(p, scopeOf(c.get('auth')), c.req.param('activationId'), '', c.req.raw, c.env?.incoming),
  );
  return app;
}
