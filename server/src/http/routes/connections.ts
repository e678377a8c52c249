import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createConnection,
  getConnection,
  listConnections,
  patchConnection,
  removeConnection,
  testConnection,
} from '../../domain/connections.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';
import {
  commonErrors,
  conflictError,
  json,
  jsonBody,
  nextCursor,
  secretKeySecurity,
} from '../route-helpers.js';
import { ConnectionInput, ConnectionListQuery, ConnectionPatch, ConnectionSchema, page } from '../schemas.js';

const tags = ['Connections'];
const params = z.object({ id: z.string().min(1).max(64) });

export function connectionRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connections',
      tags,
      summary: 'Create a standard or embedded connection',
      description:
        'A standard connection stores the credentials its auth method needs (none for auth type "none"); an embedded one stores none and waits for its users to activate it.',
      security: secretKeySecurity,
      request: { body: jsonBody(ConnectionInput) },
      responses: { 201: json(ConnectionSchema, 'The connection (never its credentials)'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      return c.json(await createConnection(p, auth.orgId, c.req.valid('json'), auth.actor), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections',
      tags,
      summary: 'List connections',
      security: secretKeySecurity,
      request: { query: ConnectionListQuery },
      responses: { 200: json(page(ConnectionSchema, 'ConnectionPage'), 'Connections'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor, connectorId } = c.req.valid('query');
      const data = await listConnections(p, c.get('auth').orgId, { limit, after: cursor, connectorId });
      return c.json({ data, nextCursor: nextCursor(data, limit, (x) => x.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connections/{id}',
      tags,
      summary: 'Get a connection',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(ConnectionSchema, 'The connection'), ...commonErrors },
    }),
    async (c) => c.json(await getConnection(p, c.get('auth').orgId, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/connections/{id}',
      tags,
      summary: 'Rename, re-point or replace the credentials of a connection',
      security: secretKeySecurity,
      request: { params, body: jsonBody(ConnectionPatch) },
      responses: { 200: json(ConnectionSchema, 'The connection'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const patch = c.req.valid('json');
      return c.json(await patchConnection(p, auth.orgId, c.req.valid('param').id, patch, auth.actor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/connections/{id}',
      tags,
      summary: 'Delete a connection that is not in use',
      security: secretKeySecurity,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...commonErrors, ...conflictError },
    }),
    async (c) => {
      const auth = c.get('auth');
      await removeConnection(p, auth.orgId, c.req.valid('param').id, auth.actor);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connections/{id}/test',
      tags,
      summary: "Test a standard connection's credentials with the connector's verification request",
      security: secretKeySecurity,
      request: { params },
      responses: {
        200: json(z.object({ ok: z.boolean(), status: z.number().int().optional() }), 'The outcome'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      return c.json(await testConnection(p, auth.orgId, c.req.valid('param').id, auth.actor), 200);
    },
  );

  return app;
}
