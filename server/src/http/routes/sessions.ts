import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { mintSession, revoke } from '../../domain/sessions.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { commonErrors, json, jsonBody, secretKeySecurity } from '../route-helpers.js';
import { SessionInput, SessionResult } from '../schemas.js';

export function sessionRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);
  app.post(
    '/sessions',
    rateLimit(
      { name: 'sessions', ...p.config.limits.sessions, windowMs: 60_000 },
      {
        enabled: p.config.rateLimits,
        trustProxy: p.config.trustProxy,
        environmentOf: (c) => c.get('auth').environmentId,
      },
    ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sessions',
      tags: ['Sessions'],
      summary: 'Mint a short-lived connect session for one end user',
      security: secretKeySecurity,
      request: { body: jsonBody(SessionInput) },
      responses: { 201: json(SessionResult, 'The session token'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const { token, expiresAt, connectUrl } = await mintSession(
        p,
        { orgId: auth.orgId, environmentId: auth.environmentId },
        c.req.valid('json'),
      );
      return c.json({ token, expiresAt, connectUrl }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/sessions/{jti}',
      tags: ['Sessions'],
      summary: 'Revoke a session at once',
      security: secretKeySecurity,
      request: { params: z.object({ jti: z.string().min(1).max(64) }) },
      responses: { 204: { description: 'Revoked' }, ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      await revoke(
        p,
        { orgId: auth.orgId, environmentId: auth.environmentId },
        c.req.valid('param').jti,
        auth.actor,
      );
      return c.body(null, 204);
    },
  );

  return app;
}
