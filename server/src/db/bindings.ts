import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { bindings, connections } from './schema.js';

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
  const row = db
    .select({ c: bindings.connectionId })
    .from(bindings)
    .where(and(eq(bindings.environmentId, environmentId), eq(bindings.connectionId, connectionId)))
    .get();
  return row !== undefined;
}

/** The embedded connections bound in an environment: a session's default scope. */
export async function listBoundEmbeddedConnectionIds(db: Db, environmentId: string): Promise<string[]> {
  const rows = db
    .select({ id: connections.id })
    .from(bindings)
    .innerJoin(connections, eq(connections.id, bindings.connectionId))
    .where(and(eq(bindings.environmentId, environmentId), eq(connections.embedded, true)))
    .orderBy(asc(bindings.createdAt))
    .all();
  return rows.map((r) => r.id);
}
