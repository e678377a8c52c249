import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  addAuthMethod,
  createConnector,
  getConnector,
  listConnectorViews,
  patchAuthMethod,
  patchConnector,
  removeConnector,
} from '../../domain/connectors.js';
import { importOpenApi } from '../../domain/openapi-import.js';
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
import {
  AuthMethodInput,
  AuthMethodPatch,
  AuthMethodSchema,
  ConnectorImportInput,
  ConnectorImportResult,
  ConnectorInput,
  ConnectorPatch,
  ConnectorSchema,
  page,
  PageQuery,
} from '../schemas.js';

const tags = ['Connectors'];
const params = z.object({ id: z.string().min(1).max(64) });

export function connectorRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connectors',
      tags,
      summary: 'Create a connector with its auth methods',
      security: secretKeySecurity,
      request: { body: jsonBody(ConnectorInput) },
      responses: { 201: json(ConnectorSchema, 'The connector'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const connector = await createConnector(p, auth.orgId, c.req.valid('json'), auth.actor);
      return c.json(connector, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connectors/import',
      tags,
      summary: 'Create a connector from an OpenAPI 3.x document',
      security: secretKeySecurity,
      request: { body: jsonBody(ConnectorImportInput) },
      responses: {
        201: json(ConnectorImportResult, 'The connector and what could not be mapped'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const body = c.req.valid('json');
      const { input, warnings } = importOpenApi(body.openapi, body.name);
      const connector = await createConnector(p, auth.orgId, input, auth.actor);
      return c.json({ ...connector, warnings }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connectors',
      tags,
      summary: 'List connectors',
      security: secretKeySecurity,
      request: { query: PageQuery },
      responses: { 200: json(page(ConnectorSchema, 'ConnectorPage'), 'Connectors'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor } = c.req.valid('query');
      const data = await listConnectorViews(p, c.get('auth').orgId, {
        limit,
        ...(cursor ? { after: cursor } : {}),
      });
      return c.json({ data, nextCursor: nextCursor(data, limit, (x) => x.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connectors/{id}',
      tags,
      summary: 'Get a connector',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(ConnectorSchema, 'The connector'), ...commonErrors },
    }),
    async (c) => c.json(await getConnector(p, c.get('auth').orgId, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/connectors/{id}',
      tags,
      summary: 'Update a connector',
      security: secretKeySecurity,
      request: { params, body: jsonBody(ConnectorPatch) },
      responses: { 200: json(ConnectorSchema, 'The connector'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const connector = await patchConnector(
        p,
        auth.orgId,
        c.req.valid('param').id,
        c.req.valid('json'),
        auth.actor,
      );
      return c.json(connector, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/connectors/{id}',
      tags,
      summary: 'Delete a connector that has no connections',
      security: secretKeySecurity,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...commonErrors, ...conflictError },
    }),
    async (c) => {
      const auth = c.get('auth');
      await removeConnector(p, auth.orgId, c.req.valid('param').id, auth.actor);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/connectors/{id}/auth-methods',
      tags,
      summary: 'Add an auth method to a connector',
      security: secretKeySecurity,
      request: { params, body: jsonBody(AuthMethodInput) },
      responses: { 201: json(AuthMethodSchema, 'The auth method'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const method = await addAuthMethod(
        p,
        auth.orgId,
        c.req.valid('param').id,
        c.req.valid('json'),
        auth.actor,
      );
      return c.json(method, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/connectors/{id}/auth-methods/{authMethodId}',
      tags,
      summary: 'Rename an auth method or replace its configuration (secrets left out are kept)',
      security: secretKeySecurity,
      request: {
        params: z.object({ id: z.string().min(1).max(64), authMethodId: z.string().min(1).max(64) }),
        body: jsonBody(AuthMethodPatch),
      },
      responses: { 200: json(AuthMethodSchema, 'The auth method'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      const { id, authMethodId } = c.req.valid('param');
      const method = await patchAuthMethod(p, auth.orgId, id, authMethodId, c.req.valid('json'), auth.actor);
      return c.json(method, 200);
    },
  );

  return app;
}
