import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { httpUrl } from '../../auth-types/fields.js';
import { addVendorKey, removeVendorKey, vendorKeys } from '../../domain/token-exchange.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';
import { commonErrors, json, jsonBody, secretKeySecurity } from '../route-helpers.js';
import { page } from '../schemas.js';

const SigningKeyInput = z
  .strictObject({
    jwk: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'A public JWK (RS256, ES256 or EdDSA)' }),
    jwksUrl: httpUrl.optional().openapi({ description: 'A JWKS URL, fetched and cached' }),
  })
  .openapi('SigningKeyInput');

const SigningKeySchema = z
  .object({
    id: z.string(),
    jwk: z.record(z.string(), z.unknown()).optional(),
    jwksUrl: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('SigningKey');

/** Vendor public keys for token exchange (SPEC §4, vendor-signed assertions). */
export function signingKeyRoutes(p: Portico, hook: ConstructorParameters<typeof OpenAPIHono<ApiEnv>>[0]) {
  const app = new OpenAPIHono<ApiEnv>(hook);
  const scopeOf = (auth: ApiEnv['Variables']['auth']) => ({
    orgId: auth.orgId,
    environmentId: auth.environmentId,
  });
  const tags = ['Signing keys'];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/signing-keys',
      tags,
      summary: 'Register a public key (or JWKS URL) your backend signs user assertions with',
      security: secretKeySecurity,
      request: { body: jsonBody(SigningKeyInput) },
      responses: { 201: json(SigningKeySchema, 'The key'), ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      return c.json(await addVendorKey(p, scopeOf(auth), c.req.valid('json'), auth.actor), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/signing-keys',
      tags,
      summary: "The environment's registered keys",
      security: secretKeySecurity,
      responses: { 200: json(page(SigningKeySchema, 'SigningKeyPage'), 'Keys'), ...commonErrors },
    }),
    async (c) => c.json({ data: await vendorKeys(p, scopeOf(c.get('auth'))), nextCursor: null }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/signing-keys/{id}',
      tags,
      summary: 'Remove a key: assertions signed with it stop working at once',
      security: secretKeySecurity,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: { 204: { description: 'Removed' }, ...commonErrors },
    }),
    async (c) => {
      const auth = c.get('auth');
      await removeVendorKey(p, scopeOf(auth), c.req.valid('param').id, auth.actor);
      return c.body(null, 204);
    },
  );

  return app;
}
