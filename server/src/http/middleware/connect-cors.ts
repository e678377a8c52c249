import type { MiddlewareHandler } from 'hono';
import { listAllAllowedOrigins } from '../../db/orgs.js';
import type { Portico } from '../../portico.js';

const ORIGINS_TTL_MS = 2000;

/**
 * CORS for `/connect/*` (SPEC §5). Preflights carry no token, so they are answered for any
 * origin that some environment allows; the real request is then held to the session's own
 * origin by `sessionAuth`. Responses name the request's origin only when it may be allowed.
 */
export function connectCors(p: Portico): MiddlewareHandler {
  const ownOrigin = new URL(p.config.publicUrl).origin;
  let cache: { origins: Set<string>; at: number } | undefined;
  const allowed = async (origin: string): Promise<boolean> => {
    if (origin === ownOrigin) return true;
    if (!cache || Date.now() - cache.at > ORIGINS_TTL_MS) {
      cache = { origins: new Set(await listAllAllowedOrigins(p.db)), at: Date.now() };
    }
    return cache.origins.has(origin);
  };
  return async function connectCors(c, next) {
    const origin = c.req.header('origin');
    const ok = origin !== undefined && (await allowed(origin));
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!ok) return c.body(null, 403);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    if (ok) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.append('Vary', 'Origin');
    }
  };
}
