import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../errors.js';
import type { Portico } from '../portico.js';
import type { ApiEnv, ConnectEnv } from './env.js';
import { bodyLimit } from './middleware/body.js';
import { connectCors } from './middleware/connect-cors.js';
import { jsonOnly } from './middleware/json-only.js';
import { secretKeyAuth } from './middleware/secret-key.js';
import { errorHandler, errorResponse } from './on-error.js';
import { documentPlainRoutes } from './openapi-extra.js';
import { adminRoutes } from './routes/admin.js';
import { connectRoutes } from './routes/connect.js';
import { connectionRoutes } from './routes/connections.js';
import { connectorRoutes } from './routes/connectors.js';
import { environmentRoutes } from './routes/environment.js';
import { hookRoutes } from './routes/hooks.js';
import { pageRoutes } from './routes/pages.js';
import { proxyRoutes } from './routes/proxy.js';
import { sessionRoutes } from './routes/sessions.js';
import { signingKeyRoutes } from './routes/signing-keys.js';
import { tokenRoutes } from './routes/token.js';
import { userRoutes } from './routes/users.js';
import { webhookRoutes } from './routes/webhooks.js';

/** Schema failures become one `invalid_request` error naming the first offending fields. */
const validationHook = {
  defaultHook: (result: { success: boolean; error?: z.ZodError; target?: string }) => {
    if (result.success || !result.error) return;
    const issues = result.error.issues.slice(0, 5).map((i) => {
      const path = [result.target === 'json' ? 'body' : result.target, ...i.path].filter(
        (x) => x !== undefined,
      );
      return `${path.join('.')}: ${i.message}`;
    });
    throw new ValidationError(issues.join('; '), {
      issues: result.error.issues.slice(0, 20).map((i) => ({ path: i.path, message: i.message })),
    });
  },
};

/**
 * The management API (SPEC §4a) behind an authenticator that sets `auth` (org, environment,
 * scopes, actor): secret keys at /api/v1; the admin console mounts the same routes behind its
 * session cookie, so the console uses exactly the documented API.
 */
export function managementApi(p: Portico, authenticate: MiddlewareHandler<ApiEnv>) {
  const api = new OpenAPIHono<ApiEnv>(validationHook);
  api.use(authenticate);
  api.route('/', proxyRoutes(p));
  api.use(jsonOnly());
  api.route('/', connectorRoutes(p, validationHook));
  api.route('/', connectionRoutes(p, validationHook));
  api.route('/', environmentRoutes(p, validationHook));
  api.route('/', sessionRoutes(p, validationHook));
  api.route('/', userRoutes(p, validationHook));
  api.route('/', webhookRoutes(p, validationHook));
  api.route('/', signingKeyRoutes(p, validationHook));
  return api;
}

export function createApp(p: Portico) {
  const app = new OpenAPIHono(validationHook);
  app.onError(errorHandler(p.log));
  app.notFound((c) => errorResponse(c, 404, 'not_found', 'No such route'));

  app.use(async function requestLog(c, next) {
    const started = performance.now();
    await next();
    // Path only: query strings and headers are where tokens would leak.
    p.log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.use(async function securityHeaders(c, next) {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  const apiBodyLimit = bodyLimit(p.config.bodyLimitBytes);
  // The proxy streams bodies and has its own, larger limit; incoming hooks have theirs.
  app.use(async function limitBodies(c, next) {
    if (c.req.path.startsWith('/api/v1/proxy/') || c.req.path.startsWith('/hooks/')) return next();
    return apiBodyLimit(c, next);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await p.signingKeys.jwks());
  });

  app.route('/api/v1', managementApi(p, secretKeyAuth(p)));
  app.route('/', adminRoutes(p));

  app.route('/', hookRoutes(p));

  app.use('/connect/*', connectCors(p));
  app.route('/', pageRoutes(p));
  // Before the connect sub-app: a form-encoded OAuth endpoint, outside its JSON-only rule.
  app.route('/', tokenRoutes(p));
  const connect = new OpenAPIHono<ConnectEnv>(validationHook);
  connect.use(jsonOnly());
  connect.route('/', connectRoutes(p, validationHook));
  app.route('/connect', connect);

  app.openAPIRegistry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An environment secret key, `sk_…`',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A connect session token minted by POST /api/v1/sessions',
  });
  documentPlainRoutes(app as unknown as OpenAPIHono<never>);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Portico API',
      version: '1.0.0',
      description: 'Management API (secret key) and Connect API (session token) of Portico.',
    },
    servers: [{ url: p.config.publicUrl }],
  });

  return app;
}
