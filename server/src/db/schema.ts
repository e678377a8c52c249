/**
 * The whole data model of Portico (SPEC §1). Times are epoch milliseconds. Columns ending in
 * `Sealed` hold AES-256-GCM envelopes (crypto/secret-box.ts), never plaintext.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const orgs = sqliteTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const environments = sqliteTable(
  'environments',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    allowedOrigins: text('allowed_origins', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    webhookUrl: text('webhook_url'),
    webhookSecretSealed: text('webhook_secret_sealed'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('environments_org_name').on(t.orgId, t.name)],
);

/** Secret API keys (`sk_…`): only the SHA-256 of the key is stored. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    /** First characters of the key, so a human can tell keys apart. Not enough to use it. */
    hint: text('hint').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.hash), index('api_keys_env').on(t.environmentId)],
);

export const connectors = sqliteTable(
  'connectors',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    baseUrl: text('base_url').notNull(),
    verify: text('verify', { mode: 'json' }).$type<{
      method: string;
      path: string;
      expectStatus: number[];
    } | null>(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('connectors_org').on(t.orgId)],
);

export const authMethods = sqliteTable(
  'auth_methods',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    /** The non-secret part of the configuration. */
    config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Secret configuration fields (`clientSecret`, `consumerSecret`) as one sealed JSON object. */
    secretsSealed: text('secrets_sealed'),
    /** Order within the connector, as the vendor listed them. */
    position: integer('position').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('auth_methods_connector').on(t.connectorId)],
);

export const connections = sqliteTable(
  'connections',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id, { onDelete: 'restrict' }),
    authMethodId: text('auth_method_id')
      .notNull()
      .references(() => authMethods.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Null: use the connector's base URL. */
    baseUrl: text('base_url'),
    embedded: integer('embedded', { mode: 'boolean' }).notNull(),
    /** Standard connections only; always null for embedded ones. */
    credentialsSealed: text('credentials_sealed'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('connections_org').on(t.orgId), index('connections_connector').on(t.connectorId)],
);

/** "This environment uses connection X for connector Y": at most one per connector per environment. */
export const bindings = sqliteTable(
  'bindings',
  {
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'restrict' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.connectorId] }),
    index('bindings_connection').on(t.connectionId),
  ],
);

export const endUsers = sqliteTable(
  'end_users',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    displayName: text('display_name'),
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('end_users_env_external').on(t.environmentId, t.externalId)],
);

export type ActivationStatus = 'active' | 'needs_reauth' | 'revoked';

export const activations = sqliteTable(
  'activations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'restrict' }),
    endUserId: text('end_user_id')
      .notNull()
      .references(() => endUsers.id, { onDelete: 'cascade' }),
    status: text('status').$type<ActivationStatus>().notNull(),
    /** Null once revoked: revoking destroys the credentials. */
    credentialsSealed: text('credentials_sealed'),
    /** When the stored access token expires (OAuth), for refresh-before-expiry. */
    expiresAt: integer('expires_at'),
    /** Refresh lease, taken by compare-and-set so only one process refreshes at a time. */
    refreshLeaseOwner: text('refresh_lease_owner'),
    refreshLeaseUntil: integer('refresh_lease_until'),
    /** Bumped on every credential change; lets readers detect that a refresh happened. */
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('activations_env_connection_user').on(t.environmentId, t.connectionId, t.endUserId),
    index('activations_connection').on(t.connectionId),
    index('activations_user').on(t.endUserId),
  ],
);

/** Connect sessions (SPEC §4): the JWT's `jti` is the primary key, so revocation is one lookup. */
export const sessions = sqliteTable(
  'sessions',
  {
    jti: text('jti').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    endUserId: text('end_user_id')
      .notNull()
      .references(() => endUsers.id, { onDelete: 'cascade' }),
    connectionIds: text('connection_ids', { mode: 'json' }).$type<string[]>().notNull(),
    origin: text('origin').notNull(),
    /** How the session was obtained: `api` (minted with a secret key) or `exchange` (RFC 8693). */
    source: text('source').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sessions_env').on(t.environmentId), index('sessions_expires').on(t.expiresAt)],
);

/** What happened in a connect flow, readable by the session as the `postMessage` fallback. */
export const flowEvents = sqliteTable(
  'flow_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    sessionJti: text('session_jti')
      .notNull()
      .references(() => sessions.jti, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    connectionId: text('connection_id').notNull(),
    activationId: text('activation_id'),
    flowId: text('flow_id'),
    error: text('error', { mode: 'json' }).$type<{ code: string; message: string } | null>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('flow_events_session').on(t.sessionJti, t.seq)],
);

/** Portico's own Ed25519 session-signing keys. The private half is sealed. */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  privateKeySealed: text('private_key_sealed').notNull(),
  createdAt: integer('created_at').notNull(),
  /** Set when a newer key takes over: no new tokens from then on. */
  supersededAt: integer('superseded_at'),
  /** Leaves the JWKS after this instant (the last token it signed has expired). */
  retireAfter: integer('retire_after'),
});

/** Vendors' public keys for token exchange (SPEC §4, vendor-signed assertions). */
export const vendorKeys = sqliteTable(
  'vendor_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    jwk: text('jwk', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    jwksUrl: text('jwks_url'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('vendor_keys_env').on(t.environmentId)],
);

/** Single-use values (assertion `jti`s, OAuth `state`s) consumed atomically before use. */
export const usedNonces = sqliteTable(
  'used_nonces',
  {
    scope: text('scope').notNull(),
    value: text('value').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.value] }), index('used_nonces_expires').on(t.expiresAt)],
);

/** Pending OAuth dances (authorization code and OAuth 1.0a); the PKCE verifier and secrets are sealed. */
export const oauthFlows = sqliteTable(
  'oauth_flows',
  {
    /** SHA-256 of the `state` sent to the provider; the state itself is never stored. */
    stateHash: text('state_hash').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    sessionJti: text('session_jti')
      .notNull()
      .references(() => sessions.jti, { onDelete: 'cascade' }),
    connectionId: text('connection_id').notNull(),
    flowId: text('flow_id'),
    secretsSealed: text('secrets_sealed').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('oauth_flows_expires').on(t.expiresAt)],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    orgId: text('org_id').notNull(),
    environmentId: text('environment_id'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('audit_events_env').on(t.environmentId, t.seq), index('audit_events_org').on(t.orgId, t.seq)],
);

/** Durable outbox for outgoing webhooks: written in the same transaction as the change it reports. */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('webhook_outbox_due').on(t.status, t.nextAttemptAt),
    index('webhook_outbox_env').on(t.environmentId),
  ],
);

export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: text('outbox_id')
      .notNull()
      .references(() => webhookOutbox.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_attempts_outbox').on(t.outboxId)],
);

export const admins = sqliteTable(
  'admins',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('admins_email').on(t.email)],
);

export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    /** SHA-256 of the cookie value. */
    idHash: text('id_hash').primaryKey(),
    adminId: text('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('admin_sessions_admin').on(t.adminId)],
);
