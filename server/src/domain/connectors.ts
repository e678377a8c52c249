import type { AuthTypeName } from '../auth-types/types.js';
import {
  deleteConnectorIfUnused,
  findAuthMethod,
  findConnector,
  insertAuthMethod,
  insertConnector,
  listAuthMethods,
  listAuthMethodsOf,
  listConnectors,
  updateAuthMethod,
  updateConnector,
  type AuthMethodRow,
  type ConnectorRow,
} from '../db/connectors.js';
import { insertAudit } from '../db/audit.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import {
  authMethodView,
  buildAuthMethod,
  openAuthMethodConfig,
  sealAuthMethodConfig,
} from './auth-methods.js';

export interface Verify {
  method: 'GET' | 'HEAD' | 'POST';
  path: string;
  expectStatus: number[];
}

export interface ConnectorInput {
  name: string;
  baseUrl: string;
  authMethods: { name: string; type: AuthTypeName; config?: Record<string, unknown> }[];
  verify?: Verify | null | undefined;
}

export type ConnectorView = ReturnType<typeof connectorView>;

function connectorView(row: ConnectorRow, methods: AuthMethodRow[]) {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    authMethods: methods.map(authMethodView),
    verify: (row.verify ?? null) as Verify | null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function createConnector(p: Portico, orgId: string, input: ConnectorInput, actor: Actor) {
  const now = Date.now();
  const id = newId('ctr');
  const methods = input.authMethods.map((m, i) =>
    buildAuthMethod(p.box, orgId, id, m, now, i, `authMethods.${i}.config`),
  );
  const row: ConnectorRow = {
    id,
    orgId,
    name: input.name,
    baseUrl: input.baseUrl,
    verify: input.verify ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await insertConnector(p.db, row, methods);
  await insertAudit(
    p.db,
    auditEntry({ orgId, environmentId: null }, actor, 'connector.created', { type: 'connector', id }),
  );
  return connectorView(row, methods);
}

export async function getConnector(p: Portico, orgId: string, id: string) {
  const row = await findConnector(p.db, orgId, id);
  if (!row) throw new NotFoundError('Connector');
  return connectorView(row, await listAuthMethodsOf(p.db, id));
}

export async function listConnectorViews(p: Portico, orgId: string, page: { after?: string; limit: number }) {
  const rows = await listConnectors(p.db, orgId, page);
  const methods = await listAuthMethods(
    p.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    connectorView(
      r,
      methods.filter((m) => m.connectorId === r.id),
    ),
  );
}

export async function patchConnector(
  p: Portico,
  orgId: string,
  id: string,
  patch: { name?: string | undefined; baseUrl?: string | undefined; verify?: Verify | null | undefined },
  actor: Actor,
) {
  const row = await findConnector(p.db, orgId, id);
  if (!row) throw new NotFoundError('Connector');
  const set: Partial<ConnectorRow> = { updatedAt: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.baseUrl !== undefined) set.baseUrl = patch.baseUrl;
  if (patch.verify !== undefined) set.verify = patch.verify;
  await updateConnector(p.db, orgId, id, set);
  await insertAudit(
    p.db,
    auditEntry({ orgId, environmentId: null }, actor, 'connector.updated', { type: 'connector', id }),
  );
  return getConnector(p, orgId, id);
}

export async function removeConnector(p: Portico, orgId: string, id: string, actor: Actor): Promise<void> {
  if (!(await findConnector(p.db, orgId, id))) throw new NotFoundError('Connector');
  if ((await deleteConnectorIfUnused(p.db, orgId, id)) === 'in_use') {
    throw new ConflictError('The connector has connections; delete them first', 'in_use');
  }
  await insertAudit(
    p.db,
    auditEntry({ orgId, environmentId: null }, actor, 'connector.deleted', { type: 'connector', id }),
  );
}

export async function addAuthMethod(
  p: Portico,
  orgId: string,
  connectorId: string,
  input: { name: string; type: AuthTypeName; config?: Record<string, unknown> },
  actor: Actor,
) {
  if (!(await findConnector(p.db, orgId, connectorId))) throw new NotFoundError('Connector');
  const existing = await listAuthMethodsOf(p.db, connectorId);
  const row = buildAuthMethod(p.box, orgId, connectorId, input, Date.now(), existing.length);
  await insertAuthMethod(p.db, row);
  await insertAudit(
    p.db,
    auditEntry(
      { orgId, environmentId: null },
      actor,
      'auth_method.created',
      { type: 'auth_method', id: row.id },
      {
        connectorId,
        authType: row.type,
      },
    ),
  );
  return authMethodView(row);
}

/**
 * Replaces an auth method's name and/or configuration. Secret fields left out of the new
 * configuration keep their sealed values, so a vendor can fix a URL without re-entering secrets.
 */
export async function patchAuthMethod(
  p: Portico,
  orgId: string,
  connectorId: string,
  id: string,
  patch: { name?: string | undefined; config?: Record<string, unknown> | undefined },
  actor: Actor,
) {
  const row = await findAuthMethod(p.db, orgId, id);
  if (!row || row.connectorId !== connectorId) throw new NotFoundError('Auth method');
  const set: Parameters<typeof updateAuthMethod>[3] = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.config !== undefined) {
    const current = openAuthMethodConfig(p.box, row);
    const kept = Object.fromEntries(
      Object.entries(current).filter(([k]) => !(k in patch.config!) && !(k in row.config)),
    );
    const sealed = sealAuthMethodConfig(p.box, orgId, id, row.type as AuthTypeName, {
      ...kept,
      ...patch.config,
    });
    set.config = sealed.config;
    set.secretsSealed = sealed.secretsSealed;
  }
  await updateAuthMethod(p.db, orgId, id, set);
  await insertAudit(
    p.db,
    auditEntry(
      { orgId, environmentId: null },
      actor,
      'auth_method.updated',
      { type: 'auth_method', id },
      { connectorId },
    ),
  );
  return authMethodView((await findAuthMethod(p.db, orgId, id))!);
}
