import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { connectEvents, connectSessionView } from '../../domain/connect.js';
import type { Portico } from '../../portico.js';
import { sessionAuth } from '../middleware/session-auth.js';
import type { ConnectEnv } from '../env.js';
import { json } from '../route-helpers.js';
import { ErrorSchema } from '../schemas.js';

const sessionSecurity = [{ sessionToken: [] }];
const errors = {
  401: json(ErrorSchema, 'Missing, invalid, expired or revoked session token'),
  403: json(ErrorSchema, "Request from an origin other than the session's"),
};

const ConnectSessionSchema = z
  .object({
    user: z.object({
      externalId: z.string(),
      displayName: z.string().nullable(),
      email: z.string().nullable(),
    }),
    connections: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        connector: z.object({ name: z.string() }),
        authType: z.string(),
        status: z.enum(['active', 'needs_reauth', 'inactive']),
        activationId: z.string().optional(),
      }),
    ),
    eventsCursor: z.number().int(),
    expiresAt: z.string(),
  })
  .openapi('ConnectSession');

const FlowEventSchema = z
  .object({
    seq: z.number().int(),
    type: z.string().openapi({ example: 'activation.succeeded' }),
    connectionId: z.string(),
    activationId: z.string().optional(),
    flowId: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    createdAt: z.string(),
  })
  .openapi('FlowEvent');

/** The Connect API used by the widget and the popup (SPEC §5), authenticated by the session token. */
export function connectRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ConnectEnv>>[0]) {
  const app = new OpenAPIHono<ConnectEnv>(hook);
  const auth = sessionAuth(p);
  app.use('/session', auth);
  app.use('/session/*', auth);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/session',
      tags: ['Connect'],
      summary: "The session's user and the state of each connection in its scope",
      security: sessionSecurity,
      responses: { 200: json(ConnectSessionSchema, 'The session'), ...errors },
    }),
    async (c) => c.json(await connectSessionView(p, c.get('session')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/session/events',
      tags: ['Connect'],
      summary: 'Flow outcomes of this session after a cursor: the fallback when postMessage cannot arrive',
      security: sessionSecurity,
      request: { query: z.object({ after: z.coerce.number().int().min(0).default(0).optional() }) },
      responses: {
        200: json(z.object({ data: z.array(FlowEventSchema) }), 'Events, oldest first'),
        ...errors,
      },
    }),
    async (c) => c.json(await connectEvents(p, c.get('session'), c.req.valid('query').after ?? 0), 200),
  );

  return app;
}
