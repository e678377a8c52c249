import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deliveries, delivery, redeliver } from '../../domain/deliveries.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';
import { commonErrors, json, secretKeySecurity } from '../route-helpers.js';
import { page, PageQuery } from '../schemas.js';

const DeliverySchema = z
  .object({
    id: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    attemptLog: z.array(
      z.object({
        attempt: z.number().int(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().int(),
        at: z.string(),
      }),
    ),
  })
  .openapi('WebhookDelivery');

/** The environment's outgoing webhook deliveries: every attempt listed, manual redelivery. */
export function webhookRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });
  const tags = ['Webhooks'];
  const params = z.object({ id: z.string().min(1).max(64) });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-deliveries',
      tags,
      summary: 'Outgoing webhook deliveries, newest first, with every attempt',
      security: secretKeySecurity,
      request: { query: PageQuery.extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() }) },
      responses: { 200: json(page(DeliverySchema, 'WebhookDeliveryPage'), 'Deliveries'), ...commonErrors },
    }),
    async (c) => {
      const { limit = 50, cursor, status } = c.req.valid('query');
      return c.json(await deliveries(p, scopeOf(c.get('auth')), { limit, cursor, status }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-deliveries/{id}',
      tags,
      summary: 'One delivery with its attempts',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(DeliverySchema, 'The delivery'), ...commonErrors },
    }),
    async (c) => c.json(await delivery(p, scopeOf(c.get('auth')), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhook-deliveries/{id}/redeliver',
      tags,
      summary: 'Queue a delivery again now',
      security: secretKeySecurity,
      request: { params },
      responses: { 200: json(DeliverySchema, 'The queued delivery'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      return c.json(await redeliver(p, scopeOf(auth), c.req.valid('param').id, auth.actor), 200);
    },
  );

  return app;
}
