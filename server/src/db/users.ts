import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from './client.js';
import { stmt } from './statements.js';
import { endUsers } from './schema.js';

export type EndUserRow = typeof endUsers.$inferSelect;

const USER_COLUMNS = `id, org_id AS orgId, environment_id AS environmentId, external_id AS externalId,
  display_name AS displayName, email, created_at AS createdAt, updated_at AS updatedAt`;

/**
 * Creates the end user on first sight and updates name / email when they change. The write is one
 * statement, so two concurrent sessions for a new user cannot both insert.
 */
export async function upsertEndUser(db: Db, row: typeof endUsers.$inferInsert): Promise<EndUserRow> {
  // Most sessions are for a user seen before, with the same name: a read, and no write at all.
  const existing = stmt(
    db,
    `SELECT ${USER_COLUMNS} FROM end_users WHERE environment_id = ? AND external_id = ?`,
  ).get(row.environmentId, row.externalId) as EndUserRow | undefined;
  if (
    existing &&
    (row.displayName === undefined || row.displayName === existing.displayName) &&
    (row.email === undefined || row.email === existing.email)
  ) {
    return existing;
  }
  return stmt(
    db,
    `INSERT INTO end_users (id, org_id, environment_id, external_id, display_name, email, created_at, updated_at)
     VALUES (@id, @orgId, @environmentId, @externalId, @displayName, @email, @createdAt, @updatedAt)
     ON CONFLICT (environment_id, external_id) DO UPDATE SET
       display_name = CASE WHEN @setName THEN excluded.display_name ELSE display_name END,
       email = CASE WHEN @setEmail THEN excluded.email ELSE email END,
       updated_at = excluded.updated_at
     RETURNING ${USER_COLUMNS}`,
  ).get({
    id: row.id,
    orgId: row.orgId,
    environmentId: row.environmentId,
    externalId: row.externalId,
    displayName: row.displayName ?? null,
    email: row.email ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    setName: row.displayName !== undefined ? 1 : 0,
    setEmail: row.email !== undefined ? 1 : 0,
  }) as EndUserRow;
}

export async function findEndUser(db: Db, environmentId: string, externalId: string) {
  return db
    .select()
    .from(endUsers)
    .where(and(eq(endUsers.environmentId, environmentId), eq(endUsers.externalId, externalId)))
    .get();
}

export async function findEndUserById(db: Db, id: string): Promise<EndUserRow | undefined> {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM end_users WHERE id = ?`).get(id) as EndUserRow | undefined;
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
