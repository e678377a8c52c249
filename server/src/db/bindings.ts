import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { stmt } from './statements.js';
import { bindings } from './schema.js';

export type BindingRow = typeof bindings.$inferSelect;

/** Binds (or re-binds) a connector to a connection in one environment: the primary key makes it one. */
export async function upsertBinding(db: Db, row: typeof bindings.$inferInsert): Promise<void> {
  db.insert(bindings)
    .values(row)
    .onConflictDoUpdate({
      target: [bindings.environmentId, bindings.connectorId],
      set: { connectionId: row.connectionId, createdAt: row.createdAt },
    })
    .run();
}

export async function deleteBinding(db: Db, environmentId: string, connectorId: string): Promise<boolean> {
  const result = db
    .delete(bindings)
    .where(and(eq(bindings.environmentId, environmentId), eq(bindings.connectorId, connectorId)))
    .run();
  return result.changes > 0;
}

export async function listBindings(db: Db, environmentId: string): Promise<BindingRow[]> {
  return db
    .select()
    .from(bindings)
    .where(eq(bindings.environmentId, environmentId))
    .orderBy(asc(bindings.createdAt), asc(bindings.connectorId))
    .all();
}

export async function isBound(db: Db, environmentId: string, connectionId: string): Promise<boolean> {
  return (
    stmt(db, 'SELECT 1 FROM bindings WHERE environment_id = ? AND connection_id = ? LIMIT 1').get(
      environmentId,
      connectionId,
    ) !== undefined
  );
}

/** The embedded connections bound in an environment: a session's default scope. */
export async function listBoundEmbeddedConnectionIds(db: Db, environmentId: string): Promise<string[]> {
  const rows = stmt(
    db,
    `SELECT c.id FROM bindings b JOIN connections c ON c.id = b.connection_id
     WHERE b.environment_id = ? AND c.embedded = 1 ORDER BY b.created_at`,
  ).all(environmentId) as { id: string }[];
  return rows.map((r) => r.id);
}
