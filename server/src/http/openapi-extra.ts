import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ErrorSchema } from './schemas.js';

/**
 * Routes served by plain Hono handlers (streamed, form-encoded or HTML), described here so the
 * OpenAPI document lists every route of the API.
 */
export function documentPlainRoutes(app: OpenAPIHono<never>): void {
  const registry = app.openAPIRegistry;
  const error = { content: { 'application/json': { schema: ErrorSchema } } };
  const proxied = {
    200: { description: "The target system's answer, streamed through as is" },
    404: { ...error, description: 'Unknown here (also: of another org or environment)' },
    409: { ...error, description: 'needs_reauth or activation_revoked' },
    502: { ...error, description: 'The target system could not be reached' },
    504: { ...error, description: 'The target system did not answer in time' },
  };
  const path = z
    .string()
    .openapi({ param: { name: 'path', in: 'path' }, description: 'Path under the base URL' });
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    registry.registerPath({
      method,
      path: '/api/v1/proxy/{activationId}/{path}',
      tags: ['Proxy'],
      summary: "Call the target system with an end user's credentials",
      security: [{ secretKey: [] }],
      request: { params: z.object({ activationId: z.string(), path }) },
      responses: proxied,
    });
    registry.registerPath({
      method,
      path: '/api/v1/proxy/connections/{connectionId}/{path}',
      tags: ['Proxy'],
      summary: "Call the target system with a standard connection's credentials",
      security: [{ secretKey: [] }],
      request: { params: z.object({ connectionId: z.string(), path }) },
      responses: proxied,
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/hooks/{activationId}',
    tags: ['Webhooks'],
    summary: 'Incoming webhook for an hmac activation, verified against its secret',
    request: { params: z.object({ activationId: z.string() }) },
    responses: {
      202: { description: 'Verified; forwarded to you as webhook.received' },
      401: { ...error, description: 'Bad signature (nothing is recorded)' },
      404: { ...error, description: 'No such hmac activation' },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/connect/token',
    tags: ['Connect'],
    summary: 'RFC 8693 token exchange: a vendor-signed assertion for a session token',
    request: {
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              grant_type: z.literal('urn:ietf:params:oauth:grant-type:token-exchange'),
              subject_token: z.string(),
              subject_token_type: z.literal('urn:ietf:params:oauth:token-type:jwt'),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The session token',
        content: {
          'application/json': {
            schema: z.object({
              access_token: z.string(),
              issued_token_type: z.string(),
              token_type: z.string(),
              expires_in: z.number(),
            }),
          },
        },
      },
      400: { description: 'RFC 6749 error: {"error", "error_description"}' },
      429: { description: 'Rate limited' },
    },
  });
  for (const [route, summary] of [
    ['/connect/popup/{connectionId}', 'The popup page (HTML); the session token arrives in the URL fragment'],
    ['/connect/link', 'The hosted connect-link page (HTML); the session token arrives in the URL fragment'],
    ['/connect/oauth/callback', "The OAuth providers' redirect target (HTML that reports to the opener)"],
    ['/.well-known/jwks.json', 'Public keys that verify session tokens'],
    ['/healthz', 'Readiness: {"status":"ok"} once migrations have run'],
  ] as const) {
    registry.registerPath({
      method: 'get',
      path: route,
      tags: ['Pages and discovery'],
      summary,
      ...(route.includes('{connectionId}')
        ? { request: { params: z.object({ connectionId: z.string() }) } }
        : {}),
      responses: { 200: { description: summary } },
    });
  }
}
