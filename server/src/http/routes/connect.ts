import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { activateWithForm, disconnect, recordFlowOutcome } from '../../domain/activate.js';
import { connectEvents, connectSessionView } from '../../domain/connect.js';
import { startOAuth } from '../../domain/oauth-flow.js';
import type { Portico } from '../../portico.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { sessionAuth } from '../middleware/session-auth.js';
import type { ConnectEnv } from '../env.js';
import { json, jsonBody } from '../route-helpers.js';
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
    origin: z.string().openapi({ description: 'The only origin results are posted to' }),
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

const flowId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

const FlowOutcomeInput = z
  .strictObject({
    type: z.enum(['flow.cancelled', 'activation.failed']),
    connectionId: z.string().min(1).max(64),
    flowId: flowId.optional(),
    error: z.strictObject({ code: z.string().min(1).max(64), message: z.string().max(500) }).optional(),
  })
  .openapi('FlowOutcomeInput');

const ActivationInput = z
  .strictObject({
    connectionId: z.string().min(1).max(64),
    credentials: z.record(z.string().max(64), z.unknown()).default({}),
    flowId: flowId.optional(),
  })
  .openapi('ActivationInput');

const ActivationResultSchema = z
  .object({
    activationId: z.string(),
    status: z.literal('active'),
    secret: z
      .string()
      .optional()
      .openapi({ description: 'hmac only, when Portico generated the secret: shown once' }),
  })
  .openapi('ActivationResult');

/** The Connect API used by the widget and the popup (SPEC §5), authenticated by the session token. */
export function connectRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ConnectEnv>>[0]) {
  const app = new OpenAPIHono<ConnectEnv>(hook);
  const auth = sessionAuth(p);
  app.use('/session', auth);
  app.use('/session/*', auth);
  app.use('/activations', auth);
  app.use('/activations/*', auth);
  app.use('/oauth/start', auth);
  app.post(
    '/activations',
    rateLimit(
      { name: 'activations', ...p.config.limits.activations, windowMs: 60_000 },
      {
        enabled: p.config.rateLimits,
        trustProxy: p.config.trustProxy,
        environmentOf: (c) => c.get('session').environmentId,
      },
    ),
  );

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

  app.openapi(
    createRoute({
      method: 'post',
      path: '/session/events',
      tags: ['Connect'],
      summary: 'The popup records an outcome the server cannot see: the user cancelled, or the flow failed',
      security: sessionSecurity,
      request: { body: jsonBody(FlowOutcomeInput) },
      responses: {
        201: json(z.object({ seq: z.number().int() }), 'Recorded'),
        ...errors,
        404: json(ErrorSchema, 'Not in scope'),
      },
    }),
    async (c) => c.json(await recordFlowOutcome(p, c.get('session'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/activations',
      tags: ['Connect'],
      summary:
        'Activate a connection with credentials (api-key, basic, hmac, none, oauth2 client credentials)',
      description:
        'Verifies the credentials against the target when the connector defines a verification request, then stores them encrypted. Re-activation replaces the credentials in place. For hmac with an empty secret, the generated secret is answered once.',
      security: sessionSecurity,
      request: { body: jsonBody(ActivationInput) },
      responses: {
        201: json(ActivationResultSchema, 'Activated'),
        ...errors,
        400: json(ErrorSchema, 'Invalid credentials for the auth type'),
        404: json(ErrorSchema, "Not a connection of this session's scope"),
        422: json(ErrorSchema, 'credentials_rejected: the target system refused them'),
      },
    }),
    async (c) => {
      const result = await activateWithForm(p, c.get('session'), c.req.valid('json'));
      return c.json({ activationId: result.activationId, status: result.status, ...result.reveal }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/oauth/start',
      tags: ['Connect'],
      summary: 'Start a sign-in at the provider (OAuth2 authorization code, OAuth 1.0a)',
      security: sessionSecurity,
      request: {
        body: jsonBody(
          z.strictObject({ connectionId: z.string().min(1).max(64), flowId: flowId.optional() }),
        ),
      },
      responses: {
        200: json(z.object({ authorizeUrl: z.string() }), 'Where to send the popup'),
        ...errors,
        400: json(ErrorSchema, 'Not a sign-in connection'),
        404: json(ErrorSchema, "Not a connection of this session's scope"),
      },
    }),
    async (c) => c.json(await startOAuth(p, c.get('session'), c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/activations/{activationId}',
      tags: ['Connect'],
      summary: 'The user disconnects one of their own activations',
      security: sessionSecurity,
      request: { params: z.object({ activationId: z.string().min(1).max(64) }) },
      responses: {
        200: json(
          z.object({ activationId: z.string(), connectionId: z.string(), status: z.literal('revoked') }),
          'Revoked',
        ),
        ...errors,
        404: json(ErrorSchema, 'Not an activation of this user'),
      },
    }),
    async (c) => c.json(await disconnect(p, c.get('session'), c.req.valid('param').activationId), 200),
  );

  return app;
}
