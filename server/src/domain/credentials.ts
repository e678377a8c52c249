import { randomBytes } from 'node:crypto';
import {
  clientCredentialsToken,
  GrantRevokedError,
  refreshTokens,
  type TokenSet,
} from '../auth-types/oauth2-client.js';
import type { OAuth2Config } from '../auth-types/oauth2.js';
import { authType } from '../auth-types/registry.js';
import type { AuthTypeName } from '../auth-types/types.js';
import {
  completeRefresh,
  findActivationById,
  markNeedsReauth,
  releaseRefreshLease,
  takeRefreshLease,
  type ActivationRow,
} from '../db/activations.js';
import { insertAudit } from '../db/audit.js';
import { findConnection } from '../db/connections.js';
import { findAuthMethod } from '../db/connectors.js';
import { findEnvironment } from '../db/orgs.js';
import { findEndUserById } from '../db/users.js';
import { NotFoundError, PorticoError } from '../errors.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import { openAuthMethodConfig } from './auth-methods.js';
import { outboxEvent } from './webhook-events.js';

/** Tokens are refreshed when they expire within this margin (SPEC §6: at least 60 s). */
export const REFRESH_MARGIN_MS = 60_000;
/** A refresh lease outlives the slowest token request; a crashed holder's lease simply expires. */
const LEASE_MS = 30_000;
const WAIT_STEP_MS = 50;
const WAIT_LIMIT_MS = 35_000;

/** Per-process coalescing: concurrent uses of one activation in this process share one attempt. */
const inflight = new WeakMap<Portico, Map<string, Promise<ActivationRow>>>();
const processTag = randomBytes(6).toString('hex');

export interface UsableCredentials {
  activation: ActivationRow;
  authType: AuthTypeName;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

function sealCtx(row: ActivationRow) {
  return { purpose: 'activation-credentials', rowId: row.id, orgId: row.orgId };
}

/**
 * The activation's credentials ready to use: OAuth2 access tokens that expire within the margin
 * are refreshed first. However many requests in however many processes ask at once, exactly one
 * refresh request reaches the provider: one process takes the lease (compare-and-set on the row's
 * version), the others wait for the version to move and re-read.
 */
export async function usableCredentials(p: Portico, activation: ActivationRow): Promise<UsableCredentials> {
  assertUsable(activation);
  const connection = await findConnection(p.db, activation.orgId, activation.connectionId);
  if (!connection) throw new NotFoundError('Connection');
  const method = (await findAuthMethod(p.db, activation.orgId, connection.authMethodId))!;
  const config = openAuthMethodConfig(p.box, method);
  let row = activation;
  if (method.type === 'oauth2' && needsRefresh(row)) row = await refreshOnce(p, row, config);
  return {
    activation: row,
    authType: method.type as AuthTypeName,
    config,
    credentials: p.box.openJson<Record<string, unknown>>(row.credentialsSealed!, sealCtx(row)),
  };
}

function assertUsable(row: ActivationRow): void {
  if (row.status === 'revoked' || row.credentialsSealed === null) {
    throw new PorticoError(
      409,
      'activation_revoked',
      'The activation was revoked; the user must connect again',
    );
  }
  if (row.status === 'needs_reauth') {
    throw new PorticoError(409, 'needs_reauth', 'The provider revoked access; the user must reconnect');
  }
}

function needsRefresh(row: ActivationRow, now = Date.now()): boolean {
  return row.expiresAt !== null && row.expiresAt - now < REFRESH_MARGIN_MS;
}

/** Concurrent refreshes of one activation in this process share one attempt. */
function coalesced(p: Portico, id: string, attempt: () => Promise<ActivationRow>): Promise<ActivationRow> {
  let map = inflight.get(p);
  if (!map) inflight.set(p, (map = new Map()));
  const pending = map.get(id);
  if (pending) return pending;
  const running = attempt().finally(() => map.delete(id));
  map.set(id, running);
  return running;
}

function refreshOnce(
  p: Portico,
  row: ActivationRow,
  config: Record<string, unknown>,
): Promise<ActivationRow> {
  return coalesced(p, row.id, () => refreshAcrossProcesses(p, row.id, config));
}

async function refreshAcrossProcesses(
  p: Portico,
  id: string,
  config: Record<string, unknown>,
): Promise<ActivationRow> {
  const owner = `${processTag}:${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const current = await findActivationById(p.db, id);
    if (!current) throw new NotFoundError('Activation');
    assertUsable(current);
    const now = Date.now();
    if (!needsRefresh(current, now)) return current;
    if (await takeRefreshLease(p.db, id, current.version, owner, now, now + LEASE_MS)) {
      return refreshHoldingLease(p, current, owner, config);
    }
    if (Date.now() > deadline)
      throw new PorticoError(504, 'upstream_timeout', 'Timed out waiting for a token refresh');
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

async function refreshHoldingLease(
  p: Portico,
  row: ActivationRow,
  owner: string,
  rawConfig: Record<string, unknown>,
): Promise<ActivationRow> {
  const config = authType('oauth2').configSchema.parse(rawConfig) as OAuth2Config;
  const creds = p.box.openJson<Record<string, unknown>>(row.credentialsSealed!, sealCtx(row));
  try {
    let tokens: TokenSet;
    if (config.grantType === 'client_credentials') {
      tokens = await clientCredentialsToken(config, String(creds.clientId), String(creds.clientSecret));
    } else if (typeof creds.refreshToken === 'string') {
      const secret = typeof rawConfig.clientSecret === 'string' ? rawConfig.clientSecret : undefined;
      tokens = await refreshTokens(config, config.clientId!, secret, creds.refreshToken);
    } else {
      throw new GrantRevokedError();
    }
    const next = { ...creds, ...tokens };
    if (tokens.expiresAt === undefined) delete next.expiresAt;
    await completeRefresh(p.db, row.id, owner, {
      credentialsSealed: p.box.sealJson(next, sealCtx(row)),
      expiresAt: tokens.expiresAt ?? null,
      updatedAt: Date.now(),
    });
    return (await findActivationById(p.db, row.id))!;
  } catch (err) {
    if (err instanceof GrantRevokedError) {
      const env = (await findEnvironment(p.db, row.environmentId))!;
      const user = await findEndUserById(p.db, row.endUserId);
      const scope = { orgId: row.orgId, environmentId: row.environmentId };
      await markNeedsReauth(p.db, row.id, owner, Date.now(), {
        audit: [
          auditEntry(
            scope,
            { type: 'system', id: 'refresh' },
            'activation.needs_reauth',
            { type: 'activation', id: row.id },
            {
              connectionId: row.connectionId,
              reason: 'invalid_grant',
            },
          ),
        ],
        outbox: outboxEvent(env, 'activation.needs_reauth', {
          activationId: row.id,
          connectionId: row.connectionId,
          externalUserId: user?.externalId,
          status: 'needs_reauth',
        }),
      });
      throw new PorticoError(409, 'needs_reauth', 'The provider revoked access; the user must reconnect');
    }
    await releaseRefreshLease(p.db, row.id, owner);
    throw err;
  }
}

/** Forces a refresh regardless of expiry (the proxy's one retry after an upstream 401). */
export async function forceRefresh(p: Portico, activation: ActivationRow): Promise<UsableCredentials> {
  const fresh = await findActivationById(p.db, activation.id);
  // If someone refreshed since we read it, use theirs.
  if (fresh && fresh.version !== activation.version) return usableCredentials(p, fresh);
  const connection = (await findConnection(p.db, activation.orgId, activation.connectionId))!;
  const method = (await findAuthMethod(p.db, activation.orgId, connection.authMethodId))!;
  const config = openAuthMethodConfig(p.box, method);
  const row = await refreshOnceForced(p, activation, config);
  return usableCredentials(p, row);
}

function refreshOnceForced(
  p: Portico,
  row: ActivationRow,
  config: Record<string, unknown>,
): Promise<ActivationRow> {
  return coalesced(p, row.id, async () => {
    const owner = `${processTag}:${randomBytes(6).toString('hex')}`;
    const now = Date.now();
    if (await takeRefreshLease(p.db, row.id, row.version, owner, now, now + LEASE_MS)) {
      const current = (await findActivationById(p.db, row.id))!;
      return refreshHoldingLease(p, current, owner, config);
    }
    // Someone else is refreshing (or did): wait for them.
    return refreshAcrossProcesses(p, row.id, config);
  });
}

/**
 * The credential read (SPEC §6): decrypted credentials of one activation of the key's
 * environment, OAuth2 tokens refreshed first. Every read is audited.
 */
export async function readCredentials(
  p: Portico,
  scope: { orgId: string; environmentId: string },
  activationId: string,
  actor: Actor,
) {
  const found = await findActivationById(p.db, activationId);
  if (!found || found.environmentId !== scope.environmentId) throw new NotFoundError('Activation');
  const usable = await usableCredentials(p, found);
  const user = await findEndUserById(p.db, found.endUserId);
  await insertAudit(
    p.db,
    auditEntry(
      scope,
      actor,
      'credentials.read',
      { type: 'activation', id: activationId },
      { connectionId: found.connectionId },
    ),
  );
  return {
    activationId,
    connectionId: found.connectionId,
    externalUserId: user?.externalId ?? '',
    authType: usable.authType,
    credentials: usable.credentials,
    expiresAt:
      usable.activation.expiresAt === null ? null : new Date(usable.activation.expiresAt).toISOString(),
  };
}
