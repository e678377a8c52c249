import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { writeEffects, writeSideEffects, type SideEffects } from './effects.js';
import { immediate, stmt } from './statements.js';
import { activations, endUsers, type ActivationStatus } from './schema.js';

export type ActivationRow = typeof activations.$inferSelect;

const ACTIVATION_COLUMNS = `id, org_id AS orgId, environment_id AS environmentId, connection_id AS connectionId,
  end_user_id AS endUserId, status, credentials_sealed AS credentialsSealed, expires_at AS expiresAt,
  refresh_lease_owner AS refreshLeaseOwner, refresh_lease_until AS refreshLeaseUntil, version,
  created_at AS createdAt, updated_at AS updatedAt`;
export interface ActivationWithUser {
  activation: ActivationRow;
  externalUserId: string;
}

export async function findActivation(
  db: Db,
  environmentId: string,
  id: string,
): Promise<ActivationWithUser | undefined> {
  return db
    .select({ activation: activations, externalUserId: endUsers.externalId })
    .from(activations)
    .innerJoin(endUsers, eq(endUsers.id, activations.endUserId))
    .where(and(eq(activations.id, id), eq(activations.environmentId, environmentId)))
    .get();
}

export async function listActivations(
  db: Db,
  environmentId: string,
  filter: {
    connectionId?: string;
    externalUserId?: string;
    endUserIds?: string[];
    status?: ActivationStatus;
    after?: string;
    limit: number;
  },
): Promise<ActivationWithUser[]> {
  return db
    .select({ activation: activations, externalUserId: endUsers.externalId })
    .from(activations)
    .innerJoin(endUsers, eq(endUsers.id, activations.endUserId))
    .where(
      and(
        eq(activations.environmentId, environmentId),
        filter.connectionId ? eq(activations.connectionId, filter.connectionId) : undefined,
        filter.externalUserId !== undefined ? eq(endUsers.externalId, filter.externalUserId) : undefined,
        filter.endUserIds ? inArray(activations.endUserId, filter.endUserIds) : undefined,
        filter.status ? eq(activations.status, filter.status) : undefined,
        filter.after ? gt(activations.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(activations.id))
    .limit(filter.limit)
    .all();
}

/** The user's activations of some connections: what a connect session shows. */
export async function listActivationsOfUser(
  db: Db,
  endUserId: string,
  connectionIds: string[],
): Promise<ActivationRow[]> {
  if (connectionIds.length === 0) return [];
  return db
    .select()
    .from(activations)
    .where(and(eq(activations.endUserId, endUserId), inArray(activations.connectionId, connectionIds)))
    .all();
}

/**
 * Records an activation, or replaces the credentials of the existing one in place (same id) —
 * re-activating never creates a second row for the same environment × connection × user.
 */
export async function upsertActivation(
  db: Db,
  row: typeof activations.$inferInsert,
  effects?: (saved: { id: string }, created: boolean) => SideEffects & { sealed?: string },
): Promise<{ activation: ActivationRow; created: boolean }> {
  return immediate(db, () => {
    const existing = stmt(
      db,
      'SELECT id FROM activations WHERE environment_id = ? AND connection_id = ? AND end_user_id = ?',
    ).get(row.environmentId, row.connectionId, row.endUserId) as { id: string } | undefined;
    const id = existing?.id ?? row.id;
    // The caller seals for the row id the activation ends up with (AAD), so effects come first.
    const extra = effects?.({ id }, !existing);
    const credentialsSealed = extra?.sealed ?? row.credentialsSealed ?? null;
    const saved = (
      existing
        ? stmt(
            db,
            `UPDATE activations SET status = ?, credentials_sealed = ?, expires_at = ?, refresh_lease_owner = NULL,
               refresh_lease_until = NULL, version = version + 1, updated_at = ?
             WHERE id = ? RETURNING ${ACTIVATION_COLUMNS}`,
          ).get(row.status, credentialsSealed, row.expiresAt ?? null, row.updatedAt, id)
        : stmt(
            db,
            `INSERT INTO activations (id, org_id, environment_id, connection_id, end_user_id, status, credentials_sealed,
               expires_at, version, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING ${ACTIVATION_COLUMNS}`,
          ).get(
            id,
            row.orgId,
            row.environmentId,
            row.connectionId,
            row.endUserId,
            row.status,
            credentialsSealed,
            row.expiresAt ?? null,
            row.createdAt,
            row.updatedAt,
          )
    ) as ActivationRow;
    writeEffects(db, extra);
    return { activation: saved, created: !existing };
  });
}

/** Revokes and destroys the credentials; answers the row as it was, or undefined if unknown. */
export async function revokeActivation(
  db: Db,
  environmentId: string,
  id: string,
  at: number,
  effects?: (before: ActivationRow) => SideEffects,
): Promise<ActivationRow | undefined> {
  return db.transaction((tx) => {
    const before = tx
      .select()
      .from(activations)
      .where(and(eq(activations.id, id), eq(activations.environmentId, environmentId)))
      .get();
    if (!before) return undefined;
    if (before.status !== 'revoked') {
      tx.update(activations)
        .set({
          status: 'revoked',
          credentialsSealed: null,
          expiresAt: null,
          refreshLeaseOwner: null,
          refreshLeaseUntil: null,
          version: before.version + 1,
          updatedAt: at,
        })
        .where(eq(activations.id, id))
        .run();
      writeSideEffects(tx, effects?.(before));
    }
    return before;
  });
}

export async function findActivationById(db: Db, id: string): Promise<ActivationRow | undefined> {
  return stmt(db, `SELECT ${ACTIVATION_COLUMNS} FROM activations WHERE id = ?`).get(id) as
    ActivationRow | undefined;
}

/**
 * Takes the refresh lease by compare-and-set: only if the row is still at `version` and no one
 * else holds an unexpired lease. Works across processes sharing the database.
 */
export async function takeRefreshLease(
  db: Db,
  id: string,
  version: number,
  owner: string,
  now: number,
  until: number,
): Promise<boolean> {
  const result = db
    .update(activations)
    .set({ refreshLeaseOwner: owner, refreshLeaseUntil: until })
    .where(
      and(
        eq(activations.id, id),
        eq(activations.version, version),
        eq(activations.status, 'active'),
        or(isNull(activations.refreshLeaseUntil), lt(activations.refreshLeaseUntil, now)),
      ),
    )
    .run();
  return result.changes === 1;
}

/** Stores refreshed credentials, only while still holding the lease; bumps the version. */
export async function completeRefresh(
  db: Db,
  id: string,
  owner: string,
  set: { credentialsSealed: string; expiresAt: number | null; updatedAt: number },
  effects?: SideEffects,
): Promise<boolean> {
  return db.transaction((tx) => {
    const result = tx
      .update(activations)
      .set({
        ...set,
        version: sql`${activations.version} + 1`,
        refreshLeaseOwner: null,
        refreshLeaseUntil: null,
      })
      .where(and(eq(activations.id, id), eq(activations.refreshLeaseOwner, owner)))
      .run();
    if (result.changes === 1) writeSideEffects(tx, effects);
    return result.changes === 1;
  });
}

/** The provider revoked the grant: the user must reconnect. */
export async function markNeedsReauth(
  db: Db,
  id: string,
  owner: string,
  at: number,
  effects?: SideEffects,
): Promise<boolean> {
  return db.transaction((tx) => {
    const result = tx
      .update(activations)
      .set({
        status: 'needs_reauth',
        version: sql`${activations.version} + 1`,
        refreshLeaseOwner: null,
        refreshLeaseUntil: null,
        updatedAt: at,
      })
      .where(and(eq(activations.id, id), eq(activations.refreshLeaseOwner, owner)))
      .run();
    if (result.changes === 1) writeSideEffects(tx, effects);
    return result.changes === 1;
  });
}

export async function releaseRefreshLease(db: Db, id: string, owner: string): Promise<void> {
  db.update(activations)
    .set({ refreshLeaseOwner: null, refreshLeaseUntil: null })
    .where(and(eq(activations.id, id), eq(activations.refreshLeaseOwner, owner)))
    .run();
}
