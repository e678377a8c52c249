import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  getActivation,
  getUser,
  listActivationViews,
  listUsers,
  revokeActivationById,
} from '../../domain/activations.js';
import { readCredentials } from '../../domain/credentials.js';
import type { Portico } from '../../portico.js';
import { requireScope } from '../middleware/secret-key.js';
import type { ApiEnv } from '../env.js';
import { commonErrors, json, nextCursor, secretKeySecurity } from '../route-helpers.js';
import {
  ActivationListQuery,
  ActivationSchema,
  EndUserSchema,
  ErrorSchema,
  page,
  PageQuery,
} from '../schemas.js';

/** End users of the key's environment and their activations. */
export function userRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags: ['Users'],
      summary: 'End users of this environment, each with its activations',
      security: secretKeySecurity,
      request: { query: PageQuery },
      responses: { 200: json(page(EndUserSchema, 'EndUserPage'), 'End users'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor } = c.req.valid('query');
      const data = await listUsers(p, scopeOf(c.get('auth')), { limit, after: cursor });
      return c.json({ data, nextCursor: nextCursor(data, limit, (u) => u.externalId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/{externalUserId}',
      tags: ['Users'],
      summary: 'One end user by the id you gave it',
      security: secretKeySecurity,
      request: { params: z.object({ externalUserId: z.string().min(1).max(256) }) },
      responses: { 200: json(EndUserSchema, 'The end user'), ...commonErrors },
    }),
    async (c) => c.json(await getUser(p, scopeOf(c.get('auth')), c.req.valid('param').externalUserId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/activations',
      tags: ['Activations'],
      summary: 'Activations of this environment',
      security: secretKeySecurity,
      request: { query: ActivationListQuery },
      responses: { 200: json(page(ActivationSchema, 'ActivationPage'), 'Activations'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor, ...filter } = c.req.valid('query');
      const data = await listActivationViews(p, scopeOf(c.get('auth')), { ...filter, limit, after: cursor });
      return c.json({ data, nextCursor: nextCursor(data, limit, (a) => a.id) }, 200);
    },
  );

  const params = z.object({ id: z.string().min(1).max(64) });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/activations/{id}',
      tags: ['Activations'],
      summary: 'One activation (never its credentials)',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(ActivationSchema, 'The activation'), ...commonErrors },
    }),
    async (c) => c.json(await getActivation(p, scopeOf(c.get('auth')), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/activations/{id}',
      tags: ['Activations'],
      summary: 'Revoke an activation and destroy its credentials',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(ActivationSchema, 'The revoked activation'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const activation = await revokeActivationById(p, scopeOf(auth), c.req.valid('param').id, auth.actor);
      return c.json(activation, 200);
    },
  );

  app.use('/activations/:id/credentials', requireScope('credentials:read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/activations/{id}/credentials',
      tags: ['Activations'],
      summary:
        "An activation's decrypted credentials (scope credentials:read); OAuth2 tokens are refreshed first",
      description: 'Every read is written to the audit log.',
      security: secretKeySecurity,
      request: { params },
      responses: {
        200: json(CredentialsSchema, 'The credentials'),
        ...commonErrors,
        403: json(ErrorSchema, 'The key lacks the credentials:read scope'),
        409: json(ErrorSchema, 'needs_reauth or activation_revoked: the user must connect again'),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const result = await readCredentials(p, scopeOf(auth), c.req.valid('param').id, auth.actor);
      return c.json(result, 200);
    },
  );

  return app;
}

const CredentialsSchema = z
  .object({
    activationId: z.string(),
    connectionId: z.string(),
    externalUserId: z.string(),
    authType: z.string(),
    credentials: z.record(z.string(), z.unknown()),
    expiresAt: z.string().nullable(),
  })
  .openapi('ActivationCredentials');
