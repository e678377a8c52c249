/**
 * The shapes of the management API (SPEC §4a). The same schemas validate requests and generate
 * `GET /api/openapi.json`, so the document cannot drift from what the server accepts.
 */
import { z } from '@hono/zod-openapi';
import { httpUrl } from '../auth-types/fields.js';
import { authTypes } from '../auth-types/registry.js';
import { AUTH_TYPE_NAMES } from '../auth-types/types.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const name = z.string().trim().min(1).max(200);
const id = (example: string) => z.string().min(1).max(64).openapi({ example });
export const isoTime = z.string().openapi({ format: 'date-time' });

/** An origin as browsers send it: scheme, host and port only. */
export const origin = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://app.example.com (no path, no trailing slash)');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).optional(),
  cursor: z.string().max(200).optional(),
});

export function page<T extends z.ZodTypeAny>(item: T, name: string) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

// ── Auth methods ─────────────────────────────────────────────────────────────────────────────

/** One request member per auth type, discriminated by `type`, each with that type's config schema. */
function authMethodInputFor(t: (typeof authTypes)[number]) {
  const config = t.configSchema.safeParse({}).success ? t.configSchema.optional() : t.configSchema;
  return z.strictObject({ name, type: z.literal(t.type), config });
}
export const AuthMethodInput = z
  .discriminatedUnion(
    'type',
    authTypes.map(authMethodInputFor) as unknown as [
      ReturnType<typeof authMethodInputFor>,
      ...ReturnType<typeof authMethodInputFor>[],
    ],
  )
  .openapi('AuthMethodInput');
export type AuthMethodInput = {
  name: string;
  type: (typeof AUTH_TYPE_NAMES)[number];
  config?: Record<string, unknown>;
};

export const AuthMethodPatch = z
  .strictObject({
    name: name.optional(),
    config: z.record(z.string(), z.unknown()).optional().openapi({
      description: "The complete new configuration for the method's type; secrets left out are kept.",
    }),
  })
  .openapi('AuthMethodPatch');

export const AuthMethodSchema = z
  .object({
    id: id('am_…'),
    name: z.string(),
    type: z.enum(AUTH_TYPE_NAMES),
    config: z.record(z.string(), z.unknown()).openapi({ description: 'Secrets appear as "••••".' }),
    createdAt: isoTime,
  })
  .openapi('AuthMethod');

// ── Connectors ───────────────────────────────────────────────────────────────────────────────

export const VerifySchema = z
  .strictObject({
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    path: z
      .string()
      .min(1)
      .max(2048)
      .regex(/^\/(?!\/)/, 'must start with a single "/"'),
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).max(20).default([200]),
  })
  .openapi('VerificationRequest');

export const ConnectorInput = z
  .strictObject({
    name,
    baseUrl: httpUrl,
    authMethods: z.array(AuthMethodInput).min(1).max(20),
    verify: VerifySchema.nullable().optional(),
  })
  .openapi('ConnectorInput');

export const ConnectorPatch = z
  .strictObject({
    name: name.optional(),
    baseUrl: httpUrl.optional(),
    verify: VerifySchema.nullable().optional(),
  })
  .openapi('ConnectorPatch');

export const ConnectorSchema = z
  .object({
    id: id('ctr_…'),
    name: z.string(),
    baseUrl: z.string(),
    authMethods: z.array(AuthMethodSchema),
    verify: VerifySchema.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('Connector');

export const ConnectorImportInput = z
  .strictObject({
    openapi: z.union([z.string().min(1).max(2_000_000), z.record(z.string(), z.unknown())]),
    name: name.optional(),
  })
  .openapi('ConnectorImportInput');

export const ConnectorImportResult = ConnectorSchema.extend({ warnings: z.array(z.string()) }).openapi(
  'ConnectorImportResult',
);

// ── Connections ──────────────────────────────────────────────────────────────────────────────

const credentials = z
  .record(z.string().max(64), z.unknown())
  .openapi({ description: 'What the auth type needs (SPEC §2). Write-only.' });

export const ConnectionInput = z
  .strictObject({
    connectorId: id('ctr_…'),
    authMethodId: id('am_…'),
    name,
    baseUrl: httpUrl.optional(),
    embedded: z.boolean(),
    credentials: credentials.optional(),
  })
  .openapi('ConnectionInput');

export const ConnectionPatch = z
  .strictObject({
    name: name.optional(),
    baseUrl: httpUrl.nullable().optional(),
    credentials: credentials.optional(),
  })
  .openapi('ConnectionPatch');

export const ConnectionSchema = z
  .object({
    id: id('cx_…'),
    connectorId: z.string(),
    authMethodId: z.string(),
    authType: z.enum(AUTH_TYPE_NAMES),
    name: z.string(),
    baseUrl: z.string(),
    embedded: z.boolean(),
    status: z.enum(['ready', 'awaiting_users']),
    inUse: z.boolean(),
    linkedEnvironments: z.number().int(),
    activeUsers: z.number().int(),
    createdAt: isoTime,
  })
  .openapi('Connection');

export const ConnectionListQuery = PageQuery.extend({ connectorId: z.string().max(64).optional() });

// ── Bindings ─────────────────────────────────────────────────────────────────────────────────

export const BindingInput = z.strictObject({ connectionId: id('cx_…') }).openapi('BindingInput');
export const BindingSchema = z
  .object({
    environmentId: z.string(),
    connectorId: z.string(),
    connectionId: z.string(),
    createdAt: isoTime,
  })
  .openapi('Binding');

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────

export const SessionInput = z
  .strictObject({
    externalUserId: z.string().min(1).max(256),
    displayName: z.string().max(256).optional(),
    email: z.email().max(320).optional(),
    connections: z.array(id('cx_…')).min(1).max(100).optional(),
    origin: origin.optional(),
    ttlSeconds: z.number().int().min(60).max(3600).default(900).optional(),
  })
  .openapi('SessionInput');

export const SessionResult = z
  .object({ token: z.string(), expiresAt: isoTime, connectUrl: z.string() })
  .openapi('SessionResult');

// ── Users and activations ────────────────────────────────────────────────────────────────────

export const ActivationStatusEnum = z.enum(['active', 'needs_reauth', 'revoked']);

export const ActivationSchema = z
  .object({
    id: id('act_…'),
    connectionId: z.string(),
    externalUserId: z.string(),
    status: ActivationStatusEnum,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('Activation');

export const ActivationListQuery = PageQuery.extend({
  connectionId: z.string().max(64).optional(),
  externalUserId: z.string().max(256).optional(),
  status: ActivationStatusEnum.optional(),
});

export const EndUserSchema = z
  .object({
    externalId: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    activations: z.array(ActivationSchema),
  })
  .openapi('EndUser');

// ── Environment and audit ────────────────────────────────────────────────────────────────────

export const EnvironmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    allowedOrigins: z.array(z.string()),
    webhookUrl: z.string().nullable(),
    webhookSecret: z
      .string()
      .optional()
      .openapi({ description: 'Only in the answer that first sets webhookUrl.' }),
  })
  .openapi('Environment');

export const EnvironmentPatch = z
  .strictObject({
    allowedOrigins: z.array(origin).max(50).optional(),
    webhookUrl: httpUrl.nullable().optional(),
  })
  .openapi('EnvironmentPatch');

export const AuditEventSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    createdAt: isoTime,
  })
  .openapi('AuditEvent');

export const AuditQuery = PageQuery.extend({ targetId: z.string().max(256).optional() });
