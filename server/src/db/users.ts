import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from './client.js';
import { endUsers } from './schema.js';

export type EndUserRow = typeof endUsers.$inferSelect;

/**
 * Creates the end user on first sight and updates name / email when given later. One statement,
 * so two concurrent sessions for a new user cannot both insert.
 */
export async function upsertEndUser(db: Db, row: typeof endUsers.$inferInsert): Promise<EndUserRow> {
  const set: Partial<EndUserRow> = { updatedAt: row.updatedAt };
  if (row.displayName !== undefined) set.displayName = row.displayName;
  if (row.email !== undefined) set.email = row.email;
  return db
    .insert(endUsers)
    .values(row)
    .onConflictDoUpdate({ target: [endUsers.environmentId, endUsers.externalId], set })
    .returning()
    .get();
}

export async function findEndUser(db: Db, environmentId: string, externalId: string) {
  return db
    .select()
    .from(endUsers)
    .where(and(eq(endUsers.environmentId, environmentId), eq(endUsers.externalId, externalId)))
    .get();
}

export async function findEndUserById(db: Db, id: string) {
  return db.select().from(endUsers).where(eq(endUsers.id, id)).get();
}

export async function listEndUsers(
  db: Db,
  environmentId: string,
  page: { after?: string; limit: number },
): Promise<EndUserRow[]> {
  return db
    .select()
    .from(endUsers)
    .where(
      and(
        eq(endUsers.environmentId, environmentId),
        page.after ? gt(endUsers.externalId, page.after) : undefined,
      ),
    )
    .orderBy(asc(endUsers.externalId))
    .limit(page.limit)
    .all();
}
