import { authType } from '../auth-types/registry.js';
import type { AuthTypeName } from '../auth-types/types.js';
import { findActivation, revokeActivation, upsertActivation } from '../db/activations.js';
import { isBound } from '../db/bindings.js';
import { findConnectionTarget } from '../db/connections.js';
import { findAuthMethod, findConnector } from '../db/connectors.js';
import { findEnvironment } from '../db/orgs.js';
import { appendFlowEvent } from '../db/sessions.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { verifyCredentials } from '../outbound/verify.js';
import type { Portico } from '../portico.js';
import { auditEntry } from './audit.js';
import { openAuthMethodConfig } from './auth-methods.js';
import type { ConnectSession } from './sessions.js';
import { outboxEvent } from './webhook-events.js';

/** Everything needed to activate one connection of a session's scope. */
export async function loadScopedConnection(p: Portico, s: ConnectSession, connectionId: string) {
  // Outside the session's scope is indistinguishable from not existing.
  if (!s.connectionIds.includes(connectionId)) throw new NotFoundError('Connection');
  const view = await findConnectionTarget(p.db, s.orgId, connectionId);
  if (!view || !view.connection.embedded || !(await isBound(p.db, s.environmentId, connectionId))) {
    throw new NotFoundError('Connection');
  }
  const method = (await findAuthMethod(p.db, s.orgId, view.connection.authMethodId))!;
  const connector = (await findConnector(p.db, s.orgId, view.connection.connectorId))!;
  return {
    view,
    method,
    connector,
    type: authType(method.type as AuthTypeName),
    config: openAuthMethodConfig(p.box, method),
    baseUrl: view.connection.baseUrl ?? view.connectorBaseUrl,
  };
}

export interface ActivationResult {
  activationId: string;
  status: 'active';
  reveal?: Record<string, string>;
}

/**
 * Activates an embedded connection with what the user typed into the popup (api-key, basic,
 * hmac, none, oauth2 client credentials): validates, verifies against the target when the
 * connector defines a verification request, then stores the credentials sealed — replacing the
 * user's previous credentials in place on re-activation.
 */
export async function activateWithForm(
  p: Portico,
  s: ConnectSession,
  input: { connectionId: string; credentials: Record<string, unknown>; flowId?: string | undefined },
): Promise<ActivationResult> {
  const target = await loadScopedConnection(p, s, input.connectionId);
  const { type, config } = target;
  if (type.activation(config).kind !== 'form' || !type.activationSchema || !type.activate) {
    throw new ValidationError(
      'This connection is activated by signing in at the provider: use /connect/oauth/start',
    );
  }
  const parsed = type.activationSchema(config).safeParse(input.credentials);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${['credentials', ...issue.path].join('.')}: ${issue.message}`);
  }
  const activated = await type.activate(parsed.data as Record<string, unknown>, config);
  if (target.connector.verify && (type.type === 'api-key' || type.type === 'basic')) {
    await verifyCredentials(
      target.connector.verify,
      target.baseUrl,
      type.type,
      config,
      activated.credentials,
    );
  }
  return storeActivation(
    p,
    s,
    input.connectionId,
    activated.credentials,
    activated.expiresAt,
    input.flowId,
    activated.reveal,
  );
}

/** Seals and stores an activation, with its audit entry, webhook event and flow event. */
export async function storeActivation(
  p: Portico,
  s: ConnectSession,
  connectionId: string,
  credentials: Record<string, unknown>,
  expiresAt: number | undefined,
  flowId: string | undefined,
  reveal?: Record<string, string>,
): Promise<ActivationResult> {
  const env = (await findEnvironment(p.db, s.environmentId))!;
  const now = Date.now();
  const id = newId('act');
  const scope = { orgId: s.orgId, environmentId: s.environmentId };
  const actor = { type: 'session' as const, id: s.jti };
  // The row id is needed for the seal's AAD, and a re-activation keeps the existing id: seal
  // for the id the row will have, found inside the same transaction as the write.
  const { activation } = await upsertActivation(
    p.db,
    {
      id,
      orgId: s.orgId,
      environmentId: s.environmentId,
      connectionId,
      endUserId: s.endUserId,
      status: 'active',
      credentialsSealed: null,
      expiresAt: expiresAt ?? null,
      createdAt: now,
      updatedAt: now,
    },
    (saved, created) => ({
      sealed: p.box.sealJson(credentials, {
        purpose: 'activation-credentials',
        rowId: saved.id,
        orgId: s.orgId,
      }),
      audit: [
        auditEntry(
          scope,
          actor,
          created ? 'activation.created' : 'activation.updated',
          { type: 'activation', id: saved.id },
          {
            connectionId,
            externalUserId: s.externalUserId,
          },
        ),
      ],
      outbox: outboxEvent(env, created ? 'activation.created' : 'activation.updated', {
        activationId: saved.id,
        connectionId,
        externalUserId: s.externalUserId,
        status: 'active',
      }),
    }),
  );
  await appendFlowEvent(p.db, {
    sessionJti: s.jti,
    type: 'activation.succeeded',
    connectionId,
    activationId: activation.id,
    flowId: flowId ?? null,
    createdAt: Date.now(),
  });
  return { activationId: activation.id, status: 'active', ...(reveal ? { reveal } : {}) };
}

/** The user disconnects one of their own activations: revoked, credentials destroyed. */
export async function disconnect(p: Portico, s: ConnectSession, activationId: string) {
  const found = await findActivation(p.db, s.environmentId, activationId);
  if (
    !found ||
    found.activation.endUserId !== s.endUserId ||
    !s.connectionIds.includes(found.activation.connectionId)
  ) {
    throw new NotFoundError('Activation');
  }
  const env = (await findEnvironment(p.db, s.environmentId))!;
  const scope = { orgId: s.orgId, environmentId: s.environmentId };
  await revokeActivation(p.db, s.environmentId, activationId, Date.now(), (before) => ({
    audit: [
      auditEntry(
        scope,
        { type: 'session', id: s.jti },
        'activation.revoked',
        { type: 'activation', id: activationId },
        {
          connectionId: before.connectionId,
          by: 'end_user',
        },
      ),
    ],
    outbox: outboxEvent(env, 'activation.revoked', {
      activationId,
      connectionId: before.connectionId,
      externalUserId: s.externalUserId,
      status: 'revoked',
    }),
  }));
  return { activationId, connectionId: found.activation.connectionId, status: 'revoked' as const };
}

/** The popup records an outcome the server cannot see by itself: a cancel or a terminal error. */
export async function recordFlowOutcome(
  p: Portico,
  s: ConnectSession,
  input: {
    type: 'flow.cancelled' | 'activation.failed';
    connectionId: string;
    flowId?: string | undefined;
    error?: { code: string; message: string } | undefined;
  },
) {
  if (!s.connectionIds.includes(input.connectionId)) throw new NotFoundError('Connection');
  const row = await appendFlowEvent(p.db, {
    sessionJti: s.jti,
    type: input.type,
    connectionId: input.connectionId,
    flowId: input.flowId ?? null,
    error:
      input.type === 'activation.failed'
        ? (input.error ?? { code: 'activation_failed', message: 'The activation failed' })
        : null,
    createdAt: Date.now(),
  });
  return { seq: row.seq };
}
