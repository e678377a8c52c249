import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from './client.js';
import { parseJson, stmt } from './statements.js';
import { authMethods, connections, connectors } from './schema.js';

export type ConnectorRow = typeof connectors.$inferSelect;
export type AuthMethodRow = typeof authMethods.$inferSelect;

const AUTH_METHOD_COLUMNS = `id, org_id AS orgId, connector_id AS connectorId, name, type, config,
  secrets_sealed AS secretsSealed, position, created_at AS createdAt`;
const CONNECTOR_COLUMNS =
  'id, org_id AS orgId, name, base_url AS baseUrl, verify, created_at AS createdAt, updated_at AS updatedAt';

export async function insertConnector(
  db: Db,
  connector: typeof connectors.$inferInsert,
  methods: (typeof authMethods.$inferInsert)[],
): Promise<void> {
  db.transaction((tx) => {
    tx.insert(connectors).values(connector).run();
    for (const m of methods) tx.insert(authMethods).values(m).run();
  });
}

export async function findConnector(db: Db, orgId: string, id: string): Promise<ConnectorRow | undefined> {
  const row = stmt(db, `SELECT ${CONNECTOR_COLUMNS} FROM connectors WHERE id = ? AND org_id = ?`).get(
    id,
    orgId,
  ) as (Omit<ConnectorRow, 'verify'> & { verify: string | null }) | undefined;
  return (
    row && { ...row, verify: row.verify === null ? null : parseJson<ConnectorRow['verify']>(row.verify) }
  );
}

export async function listConnectors(
  db: Db,
  orgId: string,
  page: { after?: string; limit: number },
): Promise<ConnectorRow[]> {
  return db
    .select()
    .from(connectors)
    .where(and(eq(connectors.orgId, orgId), page.after ? gt(connectors.id, page.after) : undefined))
    .orderBy(asc(connectors.id))
    .limit(page.limit)
    .all();
}

export async function updateConnector(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<Pick<ConnectorRow, 'name' | 'baseUrl' | 'verify' | 'updatedAt'>>,
): Promise<void> {
  db.update(connectors)
    .set(patch)
    .where(and(eq(connectors.id, id), eq(connectors.orgId, orgId)))
    .run();
}

/** Deletes a connector that has no connections; answers false when one appeared meanwhile. */
export async function deleteConnectorIfUnused(
  db: Db,
  orgId: string,
  id: string,
): Promise<'deleted' | 'in_use'> {
  return db.transaction((tx) => {
    const used = tx.select({ n: count() }).from(connections).where(eq(connections.connectorId, id)).get();
    if ((used?.n ?? 0) > 0) return 'in_use';
    tx.delete(connectors)
      .where(and(eq(connectors.id, id), eq(connectors.orgId, orgId)))
      .run();
    return 'deleted';
  });
}

export async function listAuthMethods(db: Db, connectorIds: string[]): Promise<AuthMethodRow[]> {
  if (connectorIds.length === 0) return [];
  return db
    .select()
    .from(authMethods)
    .where(inArray(authMethods.connectorId, connectorIds))
    .orderBy(asc(authMethods.position), asc(authMethods.createdAt), asc(authMethods.id))
    .all();
}

export async function listAuthMethodsOf(db: Db, connectorId: string): Promise<AuthMethodRow[]> {
  return db
    .select()
    .from(authMethods)
    .where(eq(authMethods.connectorId, connectorId))
    .orderBy(asc(authMethods.position), asc(authMethods.createdAt), asc(authMethods.id))
    .all();
}

export async function findAuthMethod(db: Db, orgId: string, id: string): Promise<AuthMethodRow | undefined> {
  const row = stmt(db, `SELECT ${AUTH_METHOD_COLUMNS} FROM auth_methods WHERE id = ? AND org_id = ?`).get(
    id,
    orgId,
  ) as (Omit<AuthMethodRow, 'config'> & { config: string }) | undefined;
  return row && { ...row, config: parseJson<Record<string, unknown>>(row.config) };
}

export async function insertAuthMethod(db: Db, method: typeof authMethods.$inferInsert): Promise<void> {
  db.insert(authMethods).values(method).run();
}

export async function updateAuthMethod(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<Pick<AuthMethodRow, 'name' | 'config' | 'secretsSealed'>>,
): Promise<void> {
  db.update(authMethods)
    .set(patch)
    .where(and(eq(authMethods.id, id), eq(authMethods.orgId, orgId)))
    .run();
}
