import { insertAudit } from '../db/audit.js';
import { isBound, listBoundEmbeddedConnectionIds } from '../db/bindings.js';
import { listConnectionViewsByIds } from '../db/connections.js';
import { findEnvironment } from '../db/orgs.js';
import { findSession, insertSession, revokeSession } from '../db/sessions.js';
import { upsertEndUser } from '../db/users.js';
import { AuthError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Portico } from '../portico.js';
import type { SessionClaims } from '../tokens/session-token.js';
import { auditEntry, type Actor } from './audit.js';
import type { EnvScope } from './environments.js';

export const DEFAULT_TTL_SECONDS = 900;
export const MAX_TTL_SECONDS = 3600;

export interface SessionRequest {
  externalUserId: string;
  displayName?: string | undefined;
  email?: string | undefined;
  connections?: string[] | undefined;
  origin?: string | undefined;
  ttlSeconds?: number | undefined;
}

export interface MintedSession {
  token: string;
  expiresAt: string;
  connectUrl: string;
  jti: string;
}

/**
 * Mints a connect session for one end user (SPEC §4). The scope is checked here, once: every
 * listed connection must be an embedded connection of the org that is bound in this environment.
 */
export async function mintSession(
  p: Portico,
  scope: EnvScope,
  req: SessionRequest,
  source: 'api' | 'exchange' = 'api',
): Promise<MintedSession> {
  const env = await findEnvironment(p.db, scope.environmentId);
  if (!env) throw new NotFoundError('Environment');

  const origin = req.origin ?? (env.allowedOrigins.length === 1 ? env.allowedOrigins[0] : undefined);
  if (!origin) {
    throw new ValidationError(
      env.allowedOrigins.length === 0
        ? 'origin: this environment has no allowed origins; add one with PATCH /api/v1/environment'
        : 'origin: required when the environment allows several origins',
    );
  }
  if (!env.allowedOrigins.includes(origin))
    throw new ValidationError('origin: not an allowed origin of this environment');

  const connectionIds = req.connections
    ? [...new Set(req.connections)]
    : await listBoundEmbeddedConnectionIds(p.db, env.id);
  if (connectionIds.length === 0) {
    throw new ValidationError('connections: no embedded connection is bound in this environment');
  }
  if (req.connections) {
    const views = await listConnectionViewsByIds(p.db, scope.orgId, connectionIds);
    for (const id of connectionIds) {
      const view = views.find((v) => v.connection.id === id);
      if (!view) throw new ValidationError(`connections: ${id} is not a connection of this organisation`);
      if (!view.connection.embedded)
        throw new ValidationError(`connections: ${id} is not an embedded connection`);
      if (!(await isBound(p.db, env.id, id)))
        throw new ValidationError(`connections: ${id} is not bound in this environment`);
    }
  }

  const now = Date.now();
  const user = await upsertEndUser(p.db, {
    id: newId('eu'),
    orgId: scope.orgId,
    environmentId: env.id,
    externalId: req.externalUserId,
    ...(req.displayName !== undefined ? { displayName: req.displayName } : {}),
    ...(req.email !== undefined ? { email: req.email } : {}),
    createdAt: now,
    updatedAt: now,
  });

  const ttl = Math.min(req.ttlSeconds ?? DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS);
  const iat = Math.floor(now / 1000);
  const exp = iat + ttl;
  const jti = newId('ses');
  await insertSession(p.db, {
    jti,
    orgId: scope.orgId,
    environmentId: env.id,
    endUserId: user.id,
    connectionIds,
    origin,
    source,
    expiresAt: exp * 1000,
    createdAt: now,
  });
  const token = await p.tokens.sign({
    sub: req.externalUserId,
    org: scope.orgId,
    env: env.id,
    cx: connectionIds,
    origin,
    jti,
    iat,
    exp,
  });
  return {
    token,
    jti,
    expiresAt: new Date(exp * 1000).toISOString(),
    connectUrl: `${p.config.publicUrl}/connect/link#token=${token}`,
  };
}

export async function revoke(p: Portico, scope: EnvScope, jti: string, actor: Actor): Promise<void> {
  if (!(await revokeSession(p.db, scope.environmentId, jti, Date.now()))) throw new NotFoundError('Session');
  await insertAudit(p.db, auditEntry(scope, actor, 'session.revoked', { type: 'session', id: jti }));
}

/** What a verified, unrevoked session token grants. */
export interface ConnectSession {
  jti: string;
  orgId: string;
  environmentId: string;
  endUserId: string;
  externalUserId: string;
  connectionIds: string[];
  origin: string;
  expiresAt: number;
}

/** Verifies a session token and checks the session row: it must exist, match, and not be revoked. */
export async function authenticateSession(p: Portico, token: string): Promise<ConnectSession> {
  const claims: SessionClaims = await p.tokens.verify(token);
  const row = await findSession(p.db, claims.jti);
  if (!row || row.orgId !== claims.org || row.environmentId !== claims.env) {
    throw new AuthError('Invalid session token', 'invalid_token');
  }
  if (row.revokedAt !== null) throw new AuthError('The session has been revoked', 'session_revoked');
  return {
    jti: row.jti,
    orgId: row.orgId,
    environmentId: row.environmentId,
    endUserId: row.endUserId,
    externalUserId: claims.sub,
    connectionIds: row.connectionIds,
    origin: row.origin,
    expiresAt: row.expiresAt,
  };
}
