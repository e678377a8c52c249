import { and, asc, count, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { stmt } from './statements.js';
import { activations, authMethods, bindings, connections, connectors } from './schema.js';

export type ConnectionRow = typeof connections.$inferSelect;

/** A connection with what the API shows about it (SPEC §4a): derived counts, never credentials. */
export interface ConnectionView {
  connection: ConnectionRow;
  authType: string;
  connectorBaseUrl: string;
  connectorName: string;
  linkedEnvironments: number;
  activeUsers: number;
}

export async function insertConnection(db: Db, row: typeof connections.$inferInsert): Promise<void> {
  db.insert(connections).values(row).run();
}

export async function findConnection(db: Db, orgId: string, id: string): Promise<ConnectionRow | undefined> {
  const row = stmt(
    db,
    `SELECT id, org_id AS orgId, connector_id AS connectorId, auth_method_id AS authMethodId, name, base_url AS baseUrl,
            embedded, credentials_sealed AS credentialsSealed, created_at AS createdAt, updated_at AS updatedAt
     FROM connections WHERE id = ? AND org_id = ?`,
  ).get(id, orgId) as (Omit<ConnectionRow, 'embedded'> & { embedded: number }) | undefined;
  return row && { ...row, embedded: row.embedded === 1 };
}

function viewQuery(db: Db) {
  return db
    .select({
      connection: connections,
      authType: authMethods.type,
      connectorBaseUrl: connectors.baseUrl,
      connectorName: connectors.name,
      linkedEnvironments: sql<number>`(select count(*) from ${bindings} where ${bindings.connectionId} = ${connections.id})`,
      activeUsers: sql<number>`(select count(*) from ${activations} where ${activations.connectionId} = ${connections.id} and ${activations.status} = 'active')`,
    })
    .from(connections)
    .innerJoin(authMethods, eq(authMethods.id, connections.authMethodId))
    .innerJoin(connectors, eq(connectors.id, connections.connectorId));
}

export async function findConnectionView(
  db: Db,
  orgId: string,
  id: string,
): Promise<ConnectionView | undefined> {
  return viewQuery(db)
    .where(and(eq(connections.id, id), eq(connections.orgId, orgId)))
    .get();
}

export async function listConnectionViews(
  db: Db,
  orgId: string,
  filter: { connectorId?: string; after?: string; limit: number },
): Promise<ConnectionView[]> {
  return viewQuery(db)
    .where(
      and(
        eq(connections.orgId, orgId),
        filter.connectorId ? eq(connections.connectorId, filter.connectorId) : undefined,
        filter.after ? gt(connections.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(connections.id))
    .limit(filter.limit)
    .all();
}

export async function listConnectionViewsByIds(
  db: Db,
  orgId: string,
  ids: string[],
): Promise<ConnectionView[]> {
  if (ids.length === 0) return [];
  return viewQuery(db)
    .where(and(eq(connections.orgId, orgId), inArray(connections.id, ids)))
    .all();
}

export async function updateConnection(
  db: Db,
  orgId: string,
  id: string,
  patch: Partial<Pick<ConnectionRow, 'name' | 'baseUrl' | 'credentialsSealed' | 'updatedAt'>>,
): Promise<void> {
  db.update(connections)
    .set(patch)
    .where(and(eq(connections.id, id), eq(connections.orgId, orgId)))
    .run();
}

/** Deletes a connection unless it is bound somewhere or has live activations; both checked in the transaction. */
export async function deleteConnectionIfUnused(
  db: Db,
  orgId: string,
  id: string,
): Promise<'deleted' | 'in_use' | 'has_activations'> {
  return db.transaction((tx) => {
    const bound = tx.select({ n: count() }).from(bindings).where(eq(bindings.connectionId, id)).get();
    if ((bound?.n ?? 0) > 0) return 'in_use';
    const acts = tx
      .select({ n: count() })
      .from(activations)
      .where(and(eq(activations.connectionId, id), ne(activations.status, 'revoked')))
      .get();
    if ((acts?.n ?? 0) > 0) return 'has_activations';
    // Revoked activations hold no credentials; they go with the connection.
    tx.delete(activations).where(eq(activations.connectionId, id)).run();
    tx.delete(connections)
      .where(and(eq(connections.id, id), eq(connections.orgId, orgId)))
      .run();
    return 'deleted';
  });
}

export async function countConnectionsOfAuthMethod(db: Db, authMethodId: string): Promise<number> {
  const row = db
    .select({ n: count() })
    .from(connections)
    .where(eq(connections.authMethodId, authMethodId))
    .get();
  return row?.n ?? 0;
}

/**
 * A connection by id alone, for the popup page, which is rendered before the session token (in
 * the URL fragment) is known. Ids are unguessable; the page shows names only.
 */
export async function findConnectionViewUnscoped(db: Db, id: string): Promise<ConnectionView | undefined> {
  return viewQuery(db).where(eq(connections.id, id)).get();
}

/** What using a connection needs (no usage counts): the hot path of the proxy and activations. */
export interface ConnectionTarget {
  connection: ConnectionRow;
  authType: string;
  connectorName: string;
  connectorBaseUrl: string;
}

export async function findConnectionTarget(
  db: Db,
  orgId: string,
  id: string,
): Promise<ConnectionTarget | undefined> {
  const connection = await findConnection(db, orgId, id);
  if (!connection) return undefined;
  const extra = stmt(
    db,
    `SELECT a.type AS authType, c.name AS connectorName, c.base_url AS connectorBaseUrl
     FROM auth_methods a, connectors c WHERE a.id = ? AND c.id = ?`,
  ).get(connection.authMethodId, connection.connectorId) as Omit<ConnectionTarget, 'connection'>;
  return { connection, ...extra };
}
