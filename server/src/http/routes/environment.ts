import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '../../db/audit.js';
import { bind, bindings, getEnvironment, patchEnvironment, unbind } from '../../domain/environments.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';
import { commonErrors, json, jsonBody, nextCursor, secretKeySecurity } from '../route-helpers.js';
import {
  AuditEventSchema,
  AuditQuery,
  BindingInput,
  BindingSchema,
  EnvironmentPatch,
  EnvironmentSchema,
  page,
} from '../schemas.js';

/** The key's own environment: settings, connector bindings and the audit log. */
export function environmentRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment',
      tags: ['Environment'],
      summary: "The key's environment",
      security: secretKeySecurity,
      responses: { 200: json(EnvironmentSchema, 'The environment'), ...commonErrors },
    }),
    async (c) => c.json(await getEnvironment(p, scopeOf(c.get('auth'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/environment',
      tags: ['Environment'],
      summary: 'Set allowed widget origins and the webhook URL',
      security: secretKeySecurity,
      request: { body: jsonBody(EnvironmentPatch) },
      responses: { 200: json(EnvironmentSchema, 'The environment'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      return c.json(await patchEnvironment(p, scopeOf(auth), c.req.valid('json'), auth.actor), 200);
    },
  );

  const bindingParams = z.object({ connectorId: z.string().min(1).max(64) });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/bindings',
      tags: ['Bindings'],
      summary: 'Which connection each connector uses in this environment',
      security: secretKeySecurity,
      responses: { 200: json(page(BindingSchema, 'BindingPage'), 'Bindings'), ...commonErrors },
    }),
    async (c) => c.json({ data: await bindings(p, scopeOf(c.get('auth'))), nextCursor: null }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/bindings/{connectorId}',
      tags: ['Bindings'],
      summary: 'Use a connection for a connector in this environment (replaces any other)',
      security: secretKeySecurity,
      request: { params: bindingParams, body: jsonBody(BindingInput) },
      responses: { 200: json(BindingSchema, 'The binding'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const { connectorId } = c.req.valid('param');
      return c.json(
        await bind(p, scopeOf(auth), connectorId, c.req.valid('json').connectionId, auth.actor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/bindings/{connectorId}',
      tags: ['Bindings'],
      summary: 'Unbind a connector in this environment',
      security: secretKeySecurity,
      request: { params: bindingParams },
      responses: { 204: { description: 'Unbound' }, ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      await unbind(p, scopeOf(auth), c.req.valid('param').connectorId, auth.actor);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events',
      tags: ['Audit'],
      summary: "The environment's audit log with its org's org-level events, newest first",
      security: secretKeySecurity,
      request: { query: AuditQuery },
      responses: { 200: json(page(AuditEventSchema, 'AuditEventPage'), 'Audit events'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor, targetId } = c.req.valid('query');
      const before = cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
      const auth = c.get('auth');
      const rows = await listAudit(
        p.db,
        { orgId: auth.orgId, environmentId: auth.environmentId },
        {
          limit,
          ...(before !== undefined ? { before } : {}),
          ...(targetId ? { targetId } : {}),
        },
      );
      const data = rows.map((r) => ({
        id: r.id,
        action: r.action,
        actor: { type: r.actorType, id: r.actorId },
        target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
        data: r.data,
        createdAt: new Date(r.createdAt).toISOString(),
      }));
      return c.json({ data, nextCursor: nextCursor(rows, limit, (r) => String(r.seq)) }, 200);
    },
  );

  return app;
}
