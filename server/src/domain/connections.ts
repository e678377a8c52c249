import { authType } from '../auth-types/registry.js';
import type { AuthTypeName } from '../auth-types/types.js';
import { insertAudit } from '../db/audit.js';
import {
  deleteConnectionIfUnused,
  findConnection,
  findConnectionView,
  insertConnection,
  listConnectionViews,
  updateConnection,
  type ConnectionView,
} from '../db/connections.js';
import { findAuthMethod, findConnector } from '../db/connectors.js';
import { ConflictError, CredentialsRejectedError, NotFoundError, ValidationError } from '../errors.js';
import { verifyCredentials } from '../outbound/verify.js';
import { newId } from '../ids.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import { openAuthMethodConfig } from './auth-methods.js';

export interface ConnectionInput {
  connectorId: string;
  authMethodId: string;
  name: string;
  baseUrl?: string | undefined;
  embedded: boolean;
  credentials?: Record<string, unknown> | undefined;
}

/** SPEC §4a's connection shape. An embedded connection is `awaiting_users` until someone activates it. */
export function connectionView(v: ConnectionView) {
  const c = v.connection;
  return {
    id: c.id,
    connectorId: c.connectorId,
    authMethodId: c.authMethodId,
    authType: v.authType as AuthTypeName,
    name: c.name,
    baseUrl: c.baseUrl ?? v.connectorBaseUrl,
    embedded: c.embedded,
    status: (c.embedded && v.activeUsers === 0 ? 'awaiting_users' : 'ready') as 'awaiting_users' | 'ready',
    inUse: v.linkedEnvironments > 0,
    linkedEnvironments: v.linkedEnvironments,
    activeUsers: v.activeUsers,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

/**
 * Validates a standard connection's credentials against its auth type. Embedded connections
 * never take credentials (SPEC §1: each user brings their own).
 */
function sealCredentials(
  p: Portico,
  orgId: string,
  connectionId: string,
  authMethod: { type: string; config: Record<string, unknown> },
  credentials: Record<string, unknown> | undefined,
): string | null {
  const type = authType(authMethod.type as AuthTypeName);
  const schema = type.standardCredentialsSchema(authMethod.config);
  if (!schema) {
    if (credentials && Object.keys(credentials).length > 0) {
      throw new ValidationError(`credentials: auth type "${type.type}" takes no credentials`);
    }
    return null;
  }
  if (!credentials)
    throw new ValidationError(`credentials: required for a standard ${type.label} connection`);
  const parsed = schema.safeParse(credentials);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${['credentials', ...issue.path].join('.')}: ${issue.message}`);
  }
  return p.box.sealJson(parsed.data, { purpose: 'connection-credentials', rowId: connectionId, orgId });
}

export async function createConnection(p: Portico, orgId: string, input: ConnectionInput, actor: Actor) {
  const connector = await findConnector(p.db, orgId, input.connectorId);
  if (!connector) throw new NotFoundError('Connector');
  const method = await findAuthMethod(p.db, orgId, input.authMethodId);
  if (!method || method.connectorId !== connector.id) {
    throw new ValidationError('authMethodId: not an auth method of this connector');
  }
  const id = newId('cx');
  let credentialsSealed: string | null = null;
  if (input.embedded) {
    if (input.credentials !== undefined) {
      throw new ValidationError(
        'credentials: an embedded connection stores no credentials; each user supplies their own',
      );
    }
  } else {
    credentialsSealed = sealCredentials(
      p,
      orgId,
      id,
      { type: method.type, config: openAuthMethodConfig(p.box, method) },
      input.credentials,
    );
  }
  const now = Date.now();
  await insertConnection(p.db, {
    id,
    orgId,
    connectorId: connector.id,
    authMethodId: method.id,
    name: input.name,
    baseUrl: input.baseUrl ?? null,
    embedded: input.embedded,
    credentialsSealed,
    createdAt: now,
    updatedAt: now,
  });
  await insertAudit(
    p.db,
    auditEntry(
      { orgId, environmentId: null },
      actor,
      'connection.created',
      { type: 'connection', id },
      {
        embedded: input.embedded,
        authType: method.type,
      },
    ),
  );
  return getConnection(p, orgId, id);
}

export async function getConnection(p: Portico, orgId: string, id: string) {
  const view = await findConnectionView(p.db, orgId, id);
  if (!view) throw new NotFoundError('Connection');
  return connectionView(view);
}

export async function listConnections(
  p: Portico,
  orgId: string,
  filter: { connectorId?: string | undefined; after?: string | undefined; limit: number },
) {
  const views = await listConnectionViews(p.db, orgId, {
    limit: filter.limit,
    ...(filter.connectorId ? { connectorId: filter.connectorId } : {}),
    ...(filter.after ? { after: filter.after } : {}),
  });
  return views.map(connectionView);
}

export async function patchConnection(
  p: Portico,
  orgId: string,
  id: string,
  patch: {
    name?: string | undefined;
    baseUrl?: string | null | undefined;
    credentials?: Record<string, unknown> | undefined;
  },
  actor: Actor,
) {
  const row = await findConnection(p.db, orgId, id);
  if (!row) throw new NotFoundError('Connection');
  const set: Parameters<typeof updateConnection>[3] = { updatedAt: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.baseUrl !== undefined) set.baseUrl = patch.baseUrl;
  if (patch.credentials !== undefined) {
    if (row.embedded) throw new ValidationError('credentials: an embedded connection stores no credentials');
    const method = (await findAuthMethod(p.db, orgId, row.authMethodId))!;
    set.credentialsSealed = sealCredentials(
      p,
      orgId,
      id,
      { type: method.type, config: openAuthMethodConfig(p.box, method) },
      patch.credentials,
    );
  }
  await updateConnection(p.db, orgId, id, set);
  await insertAudit(
    p.db,
    auditEntry(
      { orgId, environmentId: null },
      actor,
      'connection.updated',
      { type: 'connection', id },
      {
        credentialsChanged: patch.credentials !== undefined,
      },
    ),
  );
  return getConnection(p, orgId, id);
}

export async function removeConnection(p: Portico, orgId: string, id: string, actor: Actor): Promise<void> {
  if (!(await findConnection(p.db, orgId, id))) throw new NotFoundError('Connection');
  const outcome = await deleteConnectionIfUnused(p.db, orgId, id);
  if (outcome === 'in_use')
    throw new ConflictError('The connection is bound in an environment; unbind it first', 'in_use');
  if (outcome === 'has_activations') {
    throw new ConflictError('The connection has user activations; revoke them first', 'in_use');
  }
  await insertAudit(
    p.db,
    auditEntry({ orgId, environmentId: null }, actor, 'connection.deleted', { type: 'connection', id }),
  );
}

/**
 * "Test Connection" for a standard connection (SPEC §6): runs the connector's verification
 * request with the stored credentials. A refusal is an answer (`ok: false`), not an error.
 */
export async function testConnection(p: Portico, orgId: string, id: string, actor: Actor) {
  const row = await findConnection(p.db, orgId, id);
  if (!row) throw new NotFoundError('Connection');
  if (row.embedded)
    throw new ValidationError(
      'An embedded connection has no credentials to test; each activation is verified',
    );
  const connector = (await findConnector(p.db, orgId, row.connectorId))!;
  if (!connector.verify)
    throw new ValidationError('The connector has no verification request: set "verify" on it first');
  const method = (await findAuthMethod(p.db, orgId, row.authMethodId))!;
  const credentials = row.credentialsSealed
    ? p.box.openJson<Record<string, unknown>>(row.credentialsSealed, {
        purpose: 'connection-credentials',
        rowId: id,
        orgId,
      })
    : {};
  let result: { ok: boolean; status?: number };
  try {
    const { status } = await verifyCredentials(
      connector.verify,
      row.baseUrl ?? connector.baseUrl,
      method.type as AuthTypeName,
      openAuthMethodConfig(p.box, method),
      credentials,
    );
    result = { ok: true, status };
  } catch (err) {
    if (!(err instanceof CredentialsRejectedError)) throw err;
    const status = /HTTP (\d{3})/.exec(err.message)?.[1];
    result = { ok: false, ...(status ? { status: Number(status) } : {}) };
  }
  await insertAudit(
    p.db,
    auditEntry(
      { orgId, environmentId: null },
      actor,
      'connection.tested',
      { type: 'connection', id },
      result,
    ),
  );
  return result;
}
